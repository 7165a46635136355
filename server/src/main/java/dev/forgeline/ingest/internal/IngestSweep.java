package dev.forgeline.ingest.internal;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.Jobs;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/** Re-queues stored events still unprocessed after a while: their job was lost, or never queued. */
@Component
class IngestSweep implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(IngestSweep.class);
    private static final int BATCH = 10_000;

    private final StoredEvents events;
    private final Jobs jobs;
    private final Duration stuckAfter;

    IngestSweep(StoredEvents events, Jobs jobs, ForgelineProperties settings) {
        this.events = events;
        this.jobs = jobs;
        this.stuckAfter = settings.ingest().stuckAfter();
    }

    @Override
    public String name() {
        return "ingest-sweep";
    }

    @Override
    public String description() {
        return "Re-queues webhook events left unprocessed";
    }

    @Override
    public String defaultSchedule() {
        return "15m";
    }

    @Override
    public JobPriority priority() {
        return JobPriority.DEFAULT;
    }

    @Override
    public void run() {
        int requeued = 0;
        for (long id : events.receivedBefore(Instant.now().minus(stuckAfter), BATCH)) {
            // Keyed by event: an event whose job is still queued or retrying is left alone.
            if (jobs.enqueueOnce(EventProcessor.JOB, EventProcessor.key(id), Long.toString(id))) {
                requeued++;
            }
        }
        if (requeued > 0) {
            log.warn("ingest sweep: {} unprocessed webhook event(s) queued again", requeued);
        }
    }
}
