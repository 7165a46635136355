package dev.forgeline.audit.internal;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.forgeline.audit.AuditLog;

@Component
class DashboardAuditLog implements AuditLog {

    private final AuditEvents events;

    DashboardAuditLog(AuditEvents events) {
        this.events = events;
    }

    @Override
    public List<Entry> recent(String action, String actor, int limit, int offset) {
        return events.list(action, actor, limit, offset).stream().map(e -> new Entry(e.id(), e.at(), e.actor(), e.action(),
                e.targetType(), e.targetId(), e.detail(), e.clientIp())).toList();
    }
}
