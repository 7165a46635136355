package dev.forgeline.reports.internal;

import static dev.forgeline.schema.Tables.REPORT;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.schema.tables.records.ReportRecord;

/** Report requests and their generated files. */
@Repository
class ReportStore {

    enum Status { QUEUED, RUNNING, READY, FAILED;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A report without its content. */
    record Report(long id, long organisationId, String scope, Long teamId, LocalDate from, LocalDate to, String format,
                  String status, long requestedBy, Instant requestedAt, Instant finishedAt, String error, String fileName,
                  String teamIds, Set<Long> people) {
    }

    private final DSLContext db;

    ReportStore(DSLContext db) {
        this.db = db;
    }

    /**
     * @param teamIds the teams a course or organisation report may show, comma-separated; null for every team
     * @param people  the accounts whose own figures it may show
     */
    long create(long organisationId, String scope, Long teamId, String teamIds, Set<Long> people, LocalDate from, LocalDate to,
                String format, long requestedBy) {
        return db.insertInto(REPORT)
                .set(REPORT.ORGANISATION_ID, organisationId)
                .set(REPORT.SCOPE, scope)
                .set(REPORT.TEAM_ID, teamId)
                .set(REPORT.TEAM_IDS, teamIds)
                .set(REPORT.PERSON_IDS, people.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")))
                .set(REPORT.PERIOD_FROM, from)
                .set(REPORT.PERIOD_TO, to)
                .set(REPORT.FORMAT, format)
                .set(REPORT.STATUS, Status.QUEUED.code())
                .set(REPORT.REQUESTED_BY, requestedBy)
                .set(REPORT.REQUESTED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .returning(REPORT.ID).fetchOne(REPORT.ID);
    }

    Optional<Report> find(long organisationId, long id) {
        return db.select(REPORT.ID, REPORT.ORGANISATION_ID, REPORT.SCOPE, REPORT.TEAM_ID, REPORT.PERIOD_FROM, REPORT.PERIOD_TO,
                        REPORT.FORMAT, REPORT.STATUS, REPORT.REQUESTED_BY, REPORT.REQUESTED_AT, REPORT.FINISHED_AT, REPORT.ERROR,
                        REPORT.FILE_NAME, REPORT.TEAM_IDS, REPORT.PERSON_IDS)
                .from(REPORT).where(REPORT.ID.eq(id)).and(REPORT.ORGANISATION_ID.eq(organisationId))
                .fetchOptional(r -> new Report(r.get(REPORT.ID), r.get(REPORT.ORGANISATION_ID), r.get(REPORT.SCOPE), r.get(REPORT.TEAM_ID),
                        r.get(REPORT.PERIOD_FROM), r.get(REPORT.PERIOD_TO), r.get(REPORT.FORMAT), r.get(REPORT.STATUS),
                        r.get(REPORT.REQUESTED_BY), r.get(REPORT.REQUESTED_AT).toInstant(),
                        r.get(REPORT.FINISHED_AT) == null ? null : r.get(REPORT.FINISHED_AT).toInstant(), r.get(REPORT.ERROR),
                        r.get(REPORT.FILE_NAME), r.get(REPORT.TEAM_IDS), ids(r.get(REPORT.PERSON_IDS))));
    }

    Optional<ReportRecord> record(long id) {
        return db.selectFrom(REPORT).where(REPORT.ID.eq(id)).fetchOptional();
    }

    Optional<byte[]> content(long id) {
        return db.select(REPORT.CONTENT).from(REPORT).where(REPORT.ID.eq(id)).fetchOptional(REPORT.CONTENT);
    }

    void running(long id) {
        db.update(REPORT).set(REPORT.STATUS, Status.RUNNING.code())
                .where(REPORT.ID.eq(id)).and(REPORT.STATUS.ne(Status.READY.code())).execute();
    }

    void ready(long id, String fileName, byte[] content) {
        db.update(REPORT).set(REPORT.STATUS, Status.READY.code()).set(REPORT.FILE_NAME, fileName).set(REPORT.CONTENT, content)
                .set(REPORT.ERROR, (String) null).set(REPORT.FINISHED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .where(REPORT.ID.eq(id)).execute();
    }

    void failed(long id, String error) {
        db.update(REPORT).set(REPORT.STATUS, Status.FAILED.code()).set(REPORT.ERROR, clip(error))
                .set(REPORT.FINISHED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .where(REPORT.ID.eq(id)).and(REPORT.STATUS.ne(Status.READY.code())).execute();
    }

    /** Notes the error of an attempt that will be retried; the report stays running. */
    void attemptFailed(long id, String error) {
        db.update(REPORT).set(REPORT.ERROR, clip(error)).where(REPORT.ID.eq(id)).execute();
    }

    int deleteRequestedBefore(Instant cutoff) {
        return db.deleteFrom(REPORT).where(REPORT.REQUESTED_AT.lt(cutoff.atOffset(ZoneOffset.UTC))).execute();
    }

    /** Ids kept comma-separated; null (a report asked before people were kept) is no one. */
    static Set<Long> ids(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(s -> Long.valueOf(s.strip())).collect(Collectors.toSet());
    }

    private static String clip(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
