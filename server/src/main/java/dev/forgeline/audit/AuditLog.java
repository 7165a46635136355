package dev.forgeline.audit;

import java.time.OffsetDateTime;
import java.util.List;

/** Reads the audit log, newest first, for the dashboard. */
public interface AuditLog {

    record Entry(long id, OffsetDateTime at, String actor, String action, String targetType, String targetId,
                 String detail, String clientIp) {
    }

    /** @param action and actor filter when not null */
    List<Entry> recent(String action, String actor, int limit, int offset);
}
