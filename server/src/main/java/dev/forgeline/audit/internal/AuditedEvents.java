package dev.forgeline.audit.internal;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.forgeline.audit.Audit;
import dev.forgeline.jobs.DeadJobResurrected;

/** Admin actions other modules announce as events, written to the audit log in the same transaction. */
@Component
class AuditedEvents {

    private final Audit audit;

    AuditedEvents(Audit audit) {
        this.audit = audit;
    }

    @EventListener
    void on(DeadJobResurrected event) {
        audit.record("dead-job.resurrected", "dead-job", Long.toString(event.deadJobId()),
                event.job() + " " + event.key());
    }
}
