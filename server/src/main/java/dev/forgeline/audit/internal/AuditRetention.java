package dev.forgeline.audit.internal;

import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/** Deletes audit entries older than {@code forgeline.audit.retention} (180 days by default). */
@Component
class AuditRetention implements RecurringJob {

    private final AuditEvents events;
    private final java.time.Duration retention;

    AuditRetention(AuditEvents events, ForgelineProperties settings) {
        this.events = events;
        this.retention = settings.audit().retention();
    }

    @Override
    public String name() {
        return "audit-retention";
    }

    @Override
    public String description() {
        return "Deletes audit entries older than the retention period";
    }

    @Override
    public String defaultSchedule() {
        return "0 45 3 * * *";
    }

    @Override
    public void run() {
        events.deleteOlderThan(Instant.now().minus(retention));
    }
}
