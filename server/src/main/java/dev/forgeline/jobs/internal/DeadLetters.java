package dev.forgeline.jobs.internal;

import static dev.forgeline.schema.Tables.DEAD_JOB;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.jobs.JobPriority;
import dev.forgeline.schema.tables.records.DeadJobRecord;

/** The dead-letter table: jobs that failed every retry, kept with their payload and last error. */
@Repository
class DeadLetters {

    static final int MAX_ERROR_LENGTH = 4000;

    private final DSLContext db;

    DeadLetters(DSLContext db) {
        this.db = db;
    }

    record DeadJob(long id, String job, String key, String payload, JobPriority priority, int attempts,
                   String lastError, OffsetDateTime diedAt) {
    }

    void add(String jobName, String key, String payload, int priority, int attempts, String error, Instant diedAt) {
        db.insertInto(DEAD_JOB)
                .set(DEAD_JOB.JOB_NAME, jobName)
                .set(DEAD_JOB.JOB_KEY, key)
                .set(DEAD_JOB.PAYLOAD, payload)
                .set(DEAD_JOB.PRIORITY, (short) priority)
                .set(DEAD_JOB.ATTEMPTS, attempts)
                .set(DEAD_JOB.LAST_ERROR, truncate(error))
                .set(DEAD_JOB.DIED_AT, diedAt.atOffset(ZoneOffset.UTC))
                .execute();
    }

    List<DeadJob> list(String jobName, int limit, int offset) {
        return db.selectFrom(DEAD_JOB)
                .where(jobName == null ? DEAD_JOB.ID.isNotNull() : DEAD_JOB.JOB_NAME.eq(jobName))
                .orderBy(DEAD_JOB.ID.desc())
                .limit(limit).offset(offset)
                .fetch(DeadLetters::toDeadJob);
    }

    int count(String jobName) {
        return db.fetchCount(DEAD_JOB, jobName == null ? DEAD_JOB.ID.isNotNull() : DEAD_JOB.JOB_NAME.eq(jobName));
    }

    Map<String, Integer> countByJob() {
        return db.select(DEAD_JOB.JOB_NAME, org.jooq.impl.DSL.count())
                .from(DEAD_JOB).groupBy(DEAD_JOB.JOB_NAME)
                .fetchMap(r -> r.value1(), r -> r.value2());
    }

    Optional<DeadJob> find(long id) {
        return db.selectFrom(DEAD_JOB).where(DEAD_JOB.ID.eq(id)).fetchOptional(DeadLetters::toDeadJob);
    }

    /** Takes the dead job out of the table; false when another admin took it first. */
    boolean remove(long id) {
        return db.deleteFrom(DEAD_JOB).where(DEAD_JOB.ID.eq(id)).execute() == 1;
    }

    List<Long> ids() {
        return db.select(DEAD_JOB.ID).from(DEAD_JOB).orderBy(DEAD_JOB.ID).fetch(DEAD_JOB.ID);
    }

    int removeOlderThan(Instant cutoff) {
        return db.deleteFrom(DEAD_JOB).where(DEAD_JOB.DIED_AT.lt(cutoff.atOffset(ZoneOffset.UTC))).execute();
    }

    private static DeadJob toDeadJob(DeadJobRecord r) {
        return new DeadJob(r.getId(), r.getJobName(), r.getJobKey(), r.getPayload(), JobPriority.of(r.getPriority()),
                r.getAttempts(), r.getLastError(), r.getDiedAt());
    }

    private static String truncate(String error) {
        String text = error == null ? "failed without a message" : error;
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
