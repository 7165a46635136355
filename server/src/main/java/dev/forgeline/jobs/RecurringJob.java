package dev.forgeline.jobs;

/**
 * A job that runs on a schedule. Each one is switched on or off and rescheduled by configuration:
 * {@code forgeline.jobs.<name>.enabled} and {@code forgeline.jobs.<name>.schedule} (a duration such as
 * {@code 15m}, or a six-field cron expression such as {@code 0 0 3 * * *}).
 */
public interface RecurringJob {

    String name();

    /** One line for the admin job list. */
    String description();

    /** Used when {@code forgeline.jobs.<name>.schedule} is not set. */
    String defaultSchedule();

    default JobPriority priority() {
        return JobPriority.LOW;
    }

    default boolean enabledByDefault() {
        return true;
    }

    void run() throws Exception;
}
