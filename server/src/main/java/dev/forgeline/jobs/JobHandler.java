package dev.forgeline.jobs;

/**
 * A kind of job a module runs. Declare one as a Spring bean and enqueue work for it through {@link Jobs}.
 * A handler that throws is retried after 30 s, 2 min and 5 min, then dead-lettered with its last error;
 * since a job may also run again after a process dies mid-job, handlers must be idempotent.
 */
public interface JobHandler {

    /** Unique, stable name: it is stored with every queued job. */
    String name();

    JobPriority priority();

    /** @param payload what was given to {@link Jobs#enqueue}, often an id */
    void run(String payload) throws Exception;
}
