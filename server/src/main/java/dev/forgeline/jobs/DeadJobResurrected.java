package dev.forgeline.jobs;

/** Published, in its transaction, when an admin puts a dead job back on the queue. */
public record DeadJobResurrected(long deadJobId, String job, String key) {
}
