package dev.forgeline.jobs.internal;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/** Deletes dead letters older than {@code forgeline.jobs.dead-letter-retention} (30 days by default). */
@Component
class DeadLetterCleanup implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterCleanup.class);

    private final DeadLetters deadLetters;
    private final Duration retention;

    DeadLetterCleanup(DeadLetters deadLetters, ForgelineProperties settings) {
        this.deadLetters = deadLetters;
        this.retention = settings.jobs().deadLetterRetention();
    }

    @Override
    public String name() {
        return "dead-letter-cleanup";
    }

    @Override
    public String description() {
        return "Deletes dead letters older than the retention period";
    }

    @Override
    public String defaultSchedule() {
        return "0 30 3 * * *";
    }

    @Override
    public void run() {
        int removed = deadLetters.removeOlderThan(Instant.now().minus(retention));
        if (removed > 0) {
            log.info("dead-letter cleanup: {} dead job(s) older than {} deleted", removed, retention);
        }
    }
}
