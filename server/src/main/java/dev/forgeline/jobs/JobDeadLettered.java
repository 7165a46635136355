package dev.forgeline.jobs;

/** Published, in its transaction, when a job has failed every retry and moved to the dead letters. */
public record JobDeadLettered(String job, String key, String payload, String error) {
}
