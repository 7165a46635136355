package dev.forgeline.ingest.internal;

import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/** Deletes raw deliveries processed (or ignored) longer ago than {@code forgeline.ingest.retention}; never unprocessed ones. */
@Component
class IngestRetention implements RecurringJob {

    private final StoredEvents events;
    private final Duration retention;

    IngestRetention(StoredEvents events, ForgelineProperties settings) {
        this.events = events;
        this.retention = settings.ingest().retention();
    }

    @Override
    public String name() {
        return "ingest-retention";
    }

    @Override
    public String description() {
        return "Deletes processed raw webhook events older than the retention period";
    }

    @Override
    public String defaultSchedule() {
        return "0 15 4 * * *";
    }

    @Override
    public void run() {
        events.deleteFinishedBefore(Instant.now().minus(retention));
    }
}
