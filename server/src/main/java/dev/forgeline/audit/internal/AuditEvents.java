package dev.forgeline.audit.internal;

import static dev.forgeline.schema.Tables.AUDIT_EVENT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.forgeline.audit.Audit;
import dev.forgeline.platform.Actor;

@Repository
class AuditEvents implements Audit {

    private final DSLContext db;

    AuditEvents(DSLContext db) {
        this.db = db;
    }

    record AuditEntry(long id, OffsetDateTime at, String actor, String action, String targetType, String targetId,
                      String detail, String clientIp) {
    }

    @Override
    public void record(String action, String targetType, String targetId, String detail) {
        Actor caller = Actor.current().orElse(null);
        db.insertInto(AUDIT_EVENT)
                .set(AUDIT_EVENT.AT, Instant.now().atOffset(ZoneOffset.UTC))
                .set(AUDIT_EVENT.ACTOR_ID, caller == null ? null : caller.accountId())
                .set(AUDIT_EVENT.ACTOR, caller == null ? "system" : caller.username())
                .set(AUDIT_EVENT.ACTION, action)
                .set(AUDIT_EVENT.TARGET_TYPE, targetType)
                .set(AUDIT_EVENT.TARGET_ID, targetId)
                .set(AUDIT_EVENT.DETAIL, detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000))
                .set(AUDIT_EVENT.CLIENT_IP, clientIp())
                .execute();
    }

    List<AuditEntry> list(String action, String actor, int limit, int offset) {
        Condition where = DSL.noCondition();
        if (action != null) {
            where = where.and(AUDIT_EVENT.ACTION.eq(action));
        }
        if (actor != null) {
            where = where.and(AUDIT_EVENT.ACTOR.eq(actor));
        }
        return db.selectFrom(AUDIT_EVENT).where(where).orderBy(AUDIT_EVENT.ID.desc()).limit(limit).offset(offset)
                .fetch(r -> new AuditEntry(r.getId(), r.getAt(), r.getActor(), r.getAction(), r.getTargetType(),
                        r.getTargetId(), r.getDetail(), r.getClientIp()));
    }

    int deleteOlderThan(Instant cutoff) {
        return db.deleteFrom(AUDIT_EVENT).where(AUDIT_EVENT.AT.lt(cutoff.atOffset(ZoneOffset.UTC))).execute();
    }

    private static String clientIp() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                ? request.getRequest().getRemoteAddr() : null;
    }
}
