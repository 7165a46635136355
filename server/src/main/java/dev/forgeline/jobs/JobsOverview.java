package dev.forgeline.jobs;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The job queue as the dashboard shows it: the same figures and actions as the admin jobs API. */
public interface JobsOverview {

    record Recurring(String name, String description, boolean enabled, String schedule, OffsetDateTime nextRun,
                     boolean running, OffsetDateTime lastSuccess, OffsetDateTime lastFailure, int consecutiveFailures) {
    }

    record Queue(String job, JobPriority priority, int queued, int running, int dead) {
    }

    record DeadLetter(long id, String job, String key, JobPriority priority, int attempts, String lastError,
                      OffsetDateTime diedAt) {
    }

    List<Recurring> recurring();

    List<Queue> queues();

    /** Newest first. */
    List<DeadLetter> deadLetters(int limit, int offset);

    int deadLetterCount();

    /** Puts the dead job back on the queue; false when it is gone (resurrected or deleted meanwhile). */
    boolean resurrect(long deadJobId);

    /** Runs a recurring job now; the reason when it cannot (unknown, disabled, running at this moment). */
    Optional<String> runNow(String recurringJob);
}
