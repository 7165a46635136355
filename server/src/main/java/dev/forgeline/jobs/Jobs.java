package dev.forgeline.jobs;

import java.util.List;

/**
 * Puts work on the durable queue. Called inside a database transaction, the job is queued only if that
 * transaction commits: store a row and enqueue the work on it in one step.
 */
public interface Jobs {

    /** Queues one run of the named job now; returns the job's id. */
    String enqueue(String jobName, String payload);

    /**
     * Queues the job under a key that is new: one insert, no look-up first. For keys made from a row created in
     * the same transaction; a key already queued fails the transaction.
     */
    void enqueueNew(String jobName, String key, String payload);

    /** {@link #enqueueNew} for many jobs in one batch: key → payload. */
    void enqueueAllNew(String jobName, java.util.Map<String, String> payloadsByKey);

    /**
     * Queues the job under a key unless a job with that key is already queued or running.
     * @return true when it was queued
     */
    boolean enqueueOnce(String jobName, String key, String payload);

    /** Queues one run of the named job to start after the delay. */
    void enqueueLater(String jobName, String payload, java.time.Duration delay);

    /** Queues many runs in one batch (one round trip per batch, not per job). */
    void enqueueAll(String jobName, List<String> payloads);

    /**
     * Removes the queued runs of the job under these keys that no worker has picked yet, in the caller's
     * transaction: for work that another run has just done. A run already picked is left to finish.
     */
    void cancelQueued(String jobName, java.util.Collection<String> keys);
}
