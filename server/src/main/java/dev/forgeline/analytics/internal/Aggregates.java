package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_DAY;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jooq.Condition;
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

    /**
     * Makes the aggregate rows equal to the tally's (the full recompute). Only rows that differ are written: the
     * incremental path keeps them right, so a recompute usually writes nothing, and rewriting every row would cost
     * most of its time and leave as many dead rows behind.
     */
    void replaceAll(Tally tally) {
        var p = AN_PERSON_DAY;
        Map<PersonDay, long[]> people = new HashMap<>();
        tally.people.forEach((k, v) -> {
            if (!Tally.isZero(v)) {
                people.put(k, v);
            }
        });
        List<Query> writes = new ArrayList<>();
        try (var rows = db.selectFrom(p).fetchSize(5000).fetchLazy()) {
            for (Record r : rows) {
                PersonDay key = new PersonDay(r.get(p.ACTOR), r.get(p.REPOSITORY_ID), r.get(p.ACTIVITY_DAY));
                long[] wanted = people.remove(key);
                Condition row = p.ACTOR.eq(key.actor()).and(p.REPOSITORY_ID.eq(key.repositoryId())).and(p.ACTIVITY_DAY.eq(key.day()));
                if (wanted == null) {
                    writes.add(db.deleteFrom(p).where(row));
                } else if (!Arrays.equals(wanted, values(r, PERSON_COLUMNS))) {
                    writes.add(update(p, PERSON_COLUMNS, wanted, row));
                }
            }
        }
        var d = AN_REPOSITORY_DAY;
        Map<RepositoryDay, long[]> repositories = new HashMap<>();
        tally.repositories.forEach((k, v) -> {
            if (!Tally.isZero(v)) {
                repositories.put(k, v);
            }
        });
        try (var rows = db.selectFrom(d).fetchSize(5000).fetchLazy()) {
            for (Record r : rows) {
                RepositoryDay key = new RepositoryDay(r.get(d.REPOSITORY_ID), r.get(d.ACTIVITY_DAY));
                long[] wanted = repositories.remove(key);
                Condition row = d.REPOSITORY_ID.eq(key.repositoryId()).and(d.ACTIVITY_DAY.eq(key.day()));
                if (wanted == null) {
                    writes.add(db.deleteFrom(d).where(row));
                } else if (!Arrays.equals(wanted, values(r, REPOSITORY_COLUMNS))) {
                    writes.add(update(d, REPOSITORY_COLUMNS, wanted, row));
                }
            }
        }
        for (int from = 0; from < writes.size(); from += 1000) {
            db.batch(writes.subList(from, Math.min(writes.size(), from + 1000))).execute();
        }
        List<Field<?>> personColumns = new ArrayList<>(List.of(p.ACTOR, p.REPOSITORY_ID, p.ACTIVITY_DAY));
        personColumns.addAll(PERSON_COLUMNS);
        List<Object[]> newPeople = new ArrayList<>();
        people.forEach((k, values) -> newPeople.add(row(PERSON_COLUMNS, values, k.actor(), k.repositoryId(), k.day())));
        insertRows(p, personColumns, newPeople);
        List<Field<?>> repositoryColumns = new ArrayList<>(List.of(d.REPOSITORY_ID, d.ACTIVITY_DAY));
        repositoryColumns.addAll(REPOSITORY_COLUMNS);
        List<Object[]> newRepositories = new ArrayList<>();
        repositories.forEach((k, values) -> newRepositories.add(row(REPOSITORY_COLUMNS, values, k.repositoryId(), k.day())));
        insertRows(d, repositoryColumns, newRepositories);
    }

    private static long[] values(Record r, List<Field<? extends Number>> columns) {
        long[] values = new long[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Number n = r.get(columns.get(i));
            values[i] = n == null ? 0 : n.longValue();
        }
        return values;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <R extends Record> Query update(Table<R> table, List<Field<? extends Number>> columns, long[] values, Condition row) {
        Map<Field<?>, Object> set = new java.util.LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            set.put(columns.get(i), convert(columns.get(i), values[i]));
        }
        return db.update(table).set(set).where(row);
    }

    private static Object[] row(List<Field<? extends Number>> columns, long[] values, Object... key) {
        Object[] row = new Object[key.length + columns.size()];
        System.arraycopy(key, 0, row, 0, key.length);
        for (int i = 0; i < columns.size(); i++) {
            row[key.length + i] = convert(columns.get(i), values[i]);
        }
        return row;
    }

    /** Many rows per statement: a recompute writes hundreds of thousands, and one statement per row is most of its time. */
    private void insertRows(Table<?> table, List<Field<?>> columns, List<Object[]> rows) {
        int perStatement = Math.max(1, 20_000 / columns.size()); // well below the drivers' bind-parameter limits
        for (int from = 0; from < rows.size(); from += perStatement) {
            var insert = db.insertInto(table, columns);
            for (Object[] row : rows.subList(from, Math.min(rows.size(), from + perStatement))) {
                insert = insert.values(row);
            }
            insert.execute();
        }
    }
}
