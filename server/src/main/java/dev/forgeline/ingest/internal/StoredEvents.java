package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.INGEST_REPOSITORY_GUARD;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.forgeline.schema.tables.records.WebhookEventRecord;
import dev.forgeline.platform.CallerScope;

/** Raw deliveries as they arrived, with where each one is in its processing. */
@Repository
class StoredEvents {

    enum Status { RECEIVED, PROCESSED, IGNORED, FAILED, DEAD;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Column sizes, read from the generated schema: a migration that widens a column widens what is accepted. */
    static final int MAX_EVENT_TYPE = WEBHOOK_EVENT.EVENT_TYPE.getDataType().length();
    static final int MAX_ACTION = WEBHOOK_EVENT.ACTION.getDataType().length();
    static final int MAX_DELIVERY_ID = WEBHOOK_EVENT.DELIVERY_ID.getDataType().length();
    static final int MAX_REPOSITORY_KEY = WEBHOOK_EVENT.REPOSITORY_KEY.getDataType().length();

    record NewEvent(long connectionId, Provider provider, String eventType, String action, String repositoryKey,
                    String deliveryId, String headers, String body, Status status) {
    }

    private final DSLContext db;

    StoredEvents(DSLContext db) {
        this.db = db;
    }

    long insert(NewEvent event) {
        return db.insertInto(WEBHOOK_EVENT)
                .set(WEBHOOK_EVENT.CONNECTION_ID, event.connectionId())
                .set(WEBHOOK_EVENT.PROVIDER, event.provider().id())
                .set(WEBHOOK_EVENT.EVENT_TYPE, event.eventType())
                .set(WEBHOOK_EVENT.ACTION, event.action())
                .set(WEBHOOK_EVENT.REPOSITORY_KEY, event.repositoryKey())
                .set(WEBHOOK_EVENT.DELIVERY_ID, event.deliveryId())
                .set(WEBHOOK_EVENT.RECEIVED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(WEBHOOK_EVENT.STATUS, event.status().id())
                .set(WEBHOOK_EVENT.HEADERS, event.headers())
                .set(WEBHOOK_EVENT.BODY, event.body())
                .returning(WEBHOOK_EVENT.ID)
                .fetchOne(WEBHOOK_EVENT.ID);
    }

    Optional<WebhookEventRecord> find(long id) {
        return db.selectFrom(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(id)).fetchOptional();
    }

    /** The event, locked for this transaction; empty when it is gone or another worker holds it. */
    Optional<WebhookEventRecord> claim(long id) {
        return db.selectFrom(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(id)).forUpdate().skipLocked().fetchOptional();
    }

    /** Up to limit received events of the repository, oldest first, locked; those other workers hold are skipped. */
    List<WebhookEventRecord> claimWaiting(long connectionId, String repositoryKey, long except, int limit) {
        return db.selectFrom(WEBHOOK_EVENT)
                .where(WEBHOOK_EVENT.CONNECTION_ID.eq(connectionId)).and(WEBHOOK_EVENT.REPOSITORY_KEY.eq(repositoryKey))
                .and(WEBHOOK_EVENT.STATUS.eq(Status.RECEIVED.id())).and(WEBHOOK_EVENT.ID.ne(except))
                .orderBy(WEBHOOK_EVENT.ID).limit(limit)
                .forUpdate().skipLocked().fetch();
    }

    /** Where an event stands and which repository it is about, read without a lock. */
    Optional<WebhookEventRecord> peek(long id) {
        return db.select(WEBHOOK_EVENT.ID, WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.REPOSITORY_KEY, WEBHOOK_EVENT.STATUS)
                .from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(id)).fetchOptionalInto(WEBHOOK_EVENT);
    }

    /**
     * Creates the repository's guard row, outside any batch: committed at once, so that no worker ever waits
     * on another's uncommitted insert of it.
     */
    void createGuard(long connectionId, String repositoryKey) {
        var guard = INGEST_REPOSITORY_GUARD;
        db.insertInto(guard).set(guard.CONNECTION_ID, connectionId).set(guard.REPOSITORY_KEY, repositoryKey)
                .set(guard.BATCHES, 0L).onDuplicateKeyIgnore().execute();
    }

    /**
     * Takes the repository's guard row (see {@link #createGuard}) until the transaction ends.
     * @return false when another worker holds it
     */
    boolean tryGuard(long connectionId, String repositoryKey) {
        var guard = INGEST_REPOSITORY_GUARD;
        var row = guard.CONNECTION_ID.eq(connectionId).and(guard.REPOSITORY_KEY.eq(repositoryKey));
        if (db.selectOne().from(guard).where(row).forUpdate().skipLocked().fetchOptional().isEmpty()) {
            return false;
        }
        db.update(guard).set(guard.BATCHES, guard.BATCHES.plus(1)).where(row).execute();
        return true;
    }

    /** Marks events done, in one statement. */
    void markAll(List<Long> ids, Status status) {
        if (!ids.isEmpty()) {
            db.update(WEBHOOK_EVENT)
                    .set(WEBHOOK_EVENT.STATUS, status.id())
                    .set(WEBHOOK_EVENT.ERROR, (String) null)
                    .set(WEBHOOK_EVENT.PROCESSED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .where(WEBHOOK_EVENT.ID.in(ids))
                    .execute();
        }
    }

    void mark(long id, Status status, String error) {
        db.update(WEBHOOK_EVENT)
                .set(WEBHOOK_EVENT.STATUS, status.id())
                .set(WEBHOOK_EVENT.ERROR, error == null || error.length() <= 2000 ? error : error.substring(0, 2000))
                .set(WEBHOOK_EVENT.PROCESSED_AT, status == Status.PROCESSED || status == Status.IGNORED
                        ? OffsetDateTime.now(ZoneOffset.UTC) : null)
                .where(WEBHOOK_EVENT.ID.eq(id))
                .execute();
    }

    List<Long> receivedBefore(Instant cutoff, int limit) {
        return db.select(WEBHOOK_EVENT.ID).from(WEBHOOK_EVENT)
                .where(WEBHOOK_EVENT.STATUS.in(Status.RECEIVED.id(), Status.FAILED.id()))
                .and(WEBHOOK_EVENT.RECEIVED_AT.lt(cutoff.atOffset(ZoneOffset.UTC)))
                .orderBy(WEBHOOK_EVENT.ID).limit(limit).fetch(WEBHOOK_EVENT.ID);
    }

    /** Only events that are done with: a received or failed event is never deleted, whatever its age. */
    int deleteFinishedBefore(Instant cutoff) {
        return db.deleteFrom(WEBHOOK_EVENT)
                .where(WEBHOOK_EVENT.STATUS.in(Status.PROCESSED.id(), Status.IGNORED.id()))
                .and(WEBHOOK_EVENT.RECEIVED_AT.lt(cutoff.atOffset(ZoneOffset.UTC)))
                .execute();
    }

    record EventSummary(long id, long connectionId, String provider, String eventType, String action, String deliveryId,
                        OffsetDateTime receivedAt, String status, String error, OffsetDateTime processedAt) {
    }

    List<EventSummary> list(CallerScope.Connections visible, Long connectionId, String provider, String type, String status,
                            int limit, int offset) {
        Condition where = visible.all() ? DSL.noCondition() : WEBHOOK_EVENT.CONNECTION_ID.in(visible.ids());
        if (connectionId != null) {
            where = where.and(WEBHOOK_EVENT.CONNECTION_ID.eq(connectionId));
        }
        if (provider != null) {
            where = where.and(WEBHOOK_EVENT.PROVIDER.eq(provider));
        }
        if (type != null) {
            where = where.and(WEBHOOK_EVENT.EVENT_TYPE.eq(type));
        }
        if (status != null) {
            where = where.and(WEBHOOK_EVENT.STATUS.eq(status));
        }
        return db.select(WEBHOOK_EVENT.ID, WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.PROVIDER, WEBHOOK_EVENT.EVENT_TYPE,
                        WEBHOOK_EVENT.ACTION, WEBHOOK_EVENT.DELIVERY_ID, WEBHOOK_EVENT.RECEIVED_AT, WEBHOOK_EVENT.STATUS,
                        WEBHOOK_EVENT.ERROR, WEBHOOK_EVENT.PROCESSED_AT)
                .from(WEBHOOK_EVENT).where(where).orderBy(WEBHOOK_EVENT.ID.desc()).limit(limit).offset(offset)
                .fetch(r -> new EventSummary(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), r.value8(), r.value9(), r.value10()));
    }
}
