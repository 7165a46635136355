package dev.forgeline.jobs.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;

import dev.forgeline.jobs.RecurringJob;

/** A recurring job with its configuration: {@code forgeline.jobs.<name>.enabled} and {@code .schedule}. */
record RecurringSetting(RecurringJob job, boolean enabled, String scheduleText, Schedule schedule) {

    static RecurringSetting of(RecurringJob job, Environment environment) {
        Binder binder = Binder.get(environment);
        String prefix = "forgeline.jobs." + job.name();
        boolean enabled = binder.bind(prefix + ".enabled", Boolean.class).orElse(job.enabledByDefault());
        String text = binder.bind(prefix + ".schedule", String.class).orElse(job.defaultSchedule());
        return new RecurringSetting(job, enabled, text, parse(prefix + ".schedule", text));
    }

    /** The job's one row on the queue: its next run. */
    TaskInstance<Void> instance() {
        return new TaskInstance<>(job.name(), RecurringTask.INSTANCE, () -> null, job.priority().value());
    }

    /** A duration (15m, PT1H) is a fixed delay between runs; anything else must be a six-field cron expression. */
    static Schedule parse(String property, String text) {
        try {
            Duration delay = DurationStyle.detectAndParse(text.trim());
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException(property + ": the delay must be positive, not '" + text + "'");
            }
            return Schedules.fixedDelay(delay);
        } catch (IllegalArgumentException notADuration) {
            if (notADuration.getMessage() != null && notADuration.getMessage().startsWith(property)) {
                throw notADuration;
            }
        }
        try {
            return Schedules.cron(text.trim());
        } catch (RuntimeException notACron) {
            throw new IllegalArgumentException(property + ": '" + text
                    + "' is neither a duration (15m) nor a cron expression (0 0 3 * * *)");
        }
    }
}
