package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_DAY;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertQuery;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Table;
import org.springframework.stereotype.Repository;

import dev.forgeline.analytics.internal.Tally.PersonDay;
import dev.forgeline.analytics.internal.Tally.RepositoryDay;

/** Writes tallies into the daily aggregate tables: as additions (incremental) or as whole rows (recompute). */
@Repository
class Aggregates {

    static final List<Field<? extends Number>> PERSON_COLUMNS = List.of(AN_PERSON_DAY.PRS_OPENED, AN_PERSON_DAY.PRS_MERGED,
            AN_PERSON_DAY.MERGE_SECONDS, AN_PERSON_DAY.PRS_REVIEWED, AN_PERSON_DAY.REVIEWS_GIVEN, AN_PERSON_DAY.REVIEWS_RECEIVED,
            AN_PERSON_DAY.COMMENTS, AN_PERSON_DAY.COMMITS, AN_PERSON_DAY.ADDITIONS, AN_PERSON_DAY.DELETIONS);

    static final List<Field<? extends Number>> REPOSITORY_COLUMNS = List.of(AN_REPOSITORY_DAY.PRS_OPENED,
            AN_REPOSITORY_DAY.PRS_MERGED, AN_REPOSITORY_DAY.PRS_CLOSED, AN_REPOSITORY_DAY.MERGE_SECONDS,
            AN_REPOSITORY_DAY.SIZE_LINES, AN_REPOSITORY_DAY.CODING_SECONDS, AN_REPOSITORY_DAY.CODING_COUNT,
            AN_REPOSITORY_DAY.PICKUP_SECONDS, AN_REPOSITORY_DAY.PICKUP_COUNT, AN_REPOSITORY_DAY.REVIEW_SECONDS,
            AN_REPOSITORY_DAY.REVIEW_COUNT, AN_REPOSITORY_DAY.DEPLOY_SECONDS, AN_REPOSITORY_DAY.DEPLOY_COUNT,
            AN_REPOSITORY_DAY.CYCLE_SECONDS, AN_REPOSITORY_DAY.REVIEWED_BY_OTHERS, AN_REPOSITORY_DAY.SELF_MERGED_UNREVIEWED,
            AN_REPOSITORY_DAY.REVIEWS, AN_REPOSITORY_DAY.COMMITS, AN_REPOSITORY_DAY.DEPLOYMENTS,
            AN_REPOSITORY_DAY.FAILED_DEPLOYMENTS, AN_REPOSITORY_DAY.PRS_REVIEWED, AN_REPOSITORY_DAY.ADDITIONS,
            AN_REPOSITORY_DAY.DELETIONS, AN_REPOSITORY_DAY.COMMENTS);

    private static final Comparator<PersonDay> PERSON_ORDER = Comparator.comparing(PersonDay::actor)
            .thenComparing(PersonDay::day).thenComparingLong(PersonDay::repositoryId);
    private static final Comparator<RepositoryDay> REPOSITORY_ORDER = Comparator.comparingLong(RepositoryDay::repositoryId)
            .thenComparing(RepositoryDay::day);

    private final DSLContext db;

    Aggregates(DSLContext db) {
        this.db = db;
    }

    /** Adds the tally to the rows in place: concurrent additions commute, so no update is lost. */
    void add(Tally tally) {
        List<Query> queries = new ArrayList<>();
        // Rows in one order in every transaction, so that concurrent events cannot deadlock on them.
        var people = new ArrayList<>(tally.people.entrySet());
        people.sort(Map.Entry.comparingByKey(PERSON_ORDER));
        var repositories = new ArrayList<>(tally.repositories.entrySet());
        repositories.sort(Map.Entry.comparingByKey(REPOSITORY_ORDER));
        for (Map.Entry<PersonDay, long[]> e : people) {
            if (Tally.isZero(e.getValue())) {
                continue;
            }
            PersonDay k = e.getKey();
            var insert = db.insertQuery(AN_PERSON_DAY);
            insert.addValue(AN_PERSON_DAY.ACTOR, k.actor());
            insert.addValue(AN_PERSON_DAY.REPOSITORY_ID, k.repositoryId());
            insert.addValue(AN_PERSON_DAY.ACTIVITY_DAY, k.day());
            queries.add(upsert(insert, AN_PERSON_DAY, PERSON_COLUMNS, e.getValue()));
        }
        for (Map.Entry<RepositoryDay, long[]> e : repositories) {
            if (Tally.isZero(e.getValue())) {
                continue;
            }
            RepositoryDay k = e.getKey();
            var insert = db.insertQuery(AN_REPOSITORY_DAY);
            insert.addValue(AN_REPOSITORY_DAY.REPOSITORY_ID, k.repositoryId());
            insert.addValue(AN_REPOSITORY_DAY.ACTIVITY_DAY, k.day());
            queries.add(upsert(insert, AN_REPOSITORY_DAY, REPOSITORY_COLUMNS, e.getValue()));
        }
        if (queries.size() == 1) {
            queries.getFirst().execute();
        } else if (!queries.isEmpty()) {
            db.batch(queries).execute();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <R extends Record> Query upsert(InsertQuery<R> insert, Table<R> table, List<Field<? extends Number>> columns,
                                                   long[] values) {
        insert.onDuplicateKeyUpdate(true);
        for (int i = 0; i < columns.size(); i++) {
            Field column = columns.get(i);
            insert.addValue(column, convert(column, values[i]));
            if (values[i] != 0) {
                plus(insert, columns.get(i), values[i]);
            }
        }
        return insert;
    }

    private static <T extends Number> void plus(InsertQuery<?> insert, Field<T> column, long value) {
        Field<T> sum = column.plus(value);
        insert.addValueForUpdate(column, sum);
    }

    private static Object convert(Field<?> column, long value) {
        return column.getType() == Integer.class ? (Object) Math.toIntExact(value) : (Object) value;
    }

    /** Replaces every aggregate row by the tally's (the full recompute). */
    void replaceAll(Tally tally) {
        db.deleteFrom(AN_PERSON_DAY).execute();
        db.deleteFrom(AN_REPOSITORY_DAY).execute();
        var people = new ArrayList<>(tally.people.entrySet());
        for (int from = 0; from < people.size(); from += 2000) {
            List<Query> batch = new ArrayList<>();
            for (var e : people.subList(from, Math.min(people.size(), from + 2000))) {
                if (Tally.isZero(e.getValue())) {
                    continue;
                }
                var insert = db.insertQuery(AN_PERSON_DAY);
                insert.addValue(AN_PERSON_DAY.ACTOR, e.getKey().actor());
                insert.addValue(AN_PERSON_DAY.REPOSITORY_ID, e.getKey().repositoryId());
                insert.addValue(AN_PERSON_DAY.ACTIVITY_DAY, e.getKey().day());
                addAll(insert, PERSON_COLUMNS, e.getValue());
                batch.add(insert);
            }
            if (!batch.isEmpty()) {
                db.batch(batch).execute();
            }
        }
        var repositories = new ArrayList<>(tally.repositories.entrySet());
        for (int from = 0; from < repositories.size(); from += 2000) {
            List<Query> batch = new ArrayList<>();
            for (var e : repositories.subList(from, Math.min(repositories.size(), from + 2000))) {
                if (Tally.isZero(e.getValue())) {
                    continue;
                }
                var insert = db.insertQuery(AN_REPOSITORY_DAY);
                insert.addValue(AN_REPOSITORY_DAY.REPOSITORY_ID, e.getKey().repositoryId());
                insert.addValue(AN_REPOSITORY_DAY.ACTIVITY_DAY, e.getKey().day());
                addAll(insert, REPOSITORY_COLUMNS, e.getValue());
                batch.add(insert);
            }
            if (!batch.isEmpty()) {
                db.batch(batch).execute();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void addAll(InsertQuery<?> insert, List<Field<? extends Number>> columns, long[] values) {
        for (int i = 0; i < columns.size(); i++) {
            Field column = columns.get(i);
            insert.addValue(column, convert(column, values[i]));
        }
    }
}
