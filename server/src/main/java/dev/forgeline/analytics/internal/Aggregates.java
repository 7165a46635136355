package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_PERSON_WEEK;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_DAY;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_WEEK;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.forgeline.analytics.internal.Tally.PersonDay;
import dev.forgeline.analytics.internal.Tally.RepositoryDay;

/**
 * Writes tallies into the aggregate tables, per day and per week: as additions (incremental) or as whole rows
 * (recompute).
 */
@Repository
class Aggregates {

    /** An aggregate table: its key columns, and its value columns in the order of Tally.P or Tally.R. */
    record Rollup(Table<?> table, List<Field<?>> key, List<Field<? extends Number>> columns) {

        /** The key's day, or week: its last column. */
        @SuppressWarnings("unchecked")
        Field<LocalDate> period() {
            return (Field<LocalDate>) key.getLast();
        }

        /** The table of the same sums per week: its key has the week (its Monday) where this one has the day. */
        @SuppressWarnings("unchecked")
        Rollup weekly(Table<?> weeks) {
            List<Field<?>> weekKey = key.stream()
                    .<Field<?>>map(f -> weeks.field(f.getName().equals("activity_day") ? "week" : f.getName())).toList();
            List<Field<? extends Number>> weekColumns = columns.stream()
                    .<Field<? extends Number>>map(c -> (Field<? extends Number>) weeks.field(c.getName())).toList();
            return new Rollup(weeks, weekKey, weekColumns);
        }
    }

    static final Rollup PERSON_DAY = new Rollup(AN_PERSON_DAY,
            List.of(AN_PERSON_DAY.ACTOR, AN_PERSON_DAY.REPOSITORY_ID, AN_PERSON_DAY.ACTIVITY_DAY),
            List.of(AN_PERSON_DAY.PRS_OPENED, AN_PERSON_DAY.PRS_MERGED, AN_PERSON_DAY.MERGE_SECONDS, AN_PERSON_DAY.PRS_REVIEWED,
                    AN_PERSON_DAY.REVIEWS_GIVEN, AN_PERSON_DAY.REVIEWS_RECEIVED, AN_PERSON_DAY.COMMENTS, AN_PERSON_DAY.COMMITS,
                    AN_PERSON_DAY.ADDITIONS, AN_PERSON_DAY.DELETIONS));

    static final Rollup REPOSITORY_DAY = new Rollup(AN_REPOSITORY_DAY,
            List.of(AN_REPOSITORY_DAY.REPOSITORY_ID, AN_REPOSITORY_DAY.ACTIVITY_DAY),
            List.of(AN_REPOSITORY_DAY.PRS_OPENED, AN_REPOSITORY_DAY.PRS_MERGED, AN_REPOSITORY_DAY.PRS_CLOSED,
                    AN_REPOSITORY_DAY.MERGE_SECONDS, AN_REPOSITORY_DAY.SIZE_LINES, AN_REPOSITORY_DAY.CODING_SECONDS,
                    AN_REPOSITORY_DAY.CODING_COUNT, AN_REPOSITORY_DAY.PICKUP_SECONDS, AN_REPOSITORY_DAY.PICKUP_COUNT,
                    AN_REPOSITORY_DAY.REVIEW_SECONDS, AN_REPOSITORY_DAY.REVIEW_COUNT, AN_REPOSITORY_DAY.DEPLOY_SECONDS,
                    AN_REPOSITORY_DAY.DEPLOY_COUNT, AN_REPOSITORY_DAY.CYCLE_SECONDS, AN_REPOSITORY_DAY.REVIEWED_BY_OTHERS,
                    AN_REPOSITORY_DAY.SELF_MERGED_UNREVIEWED, AN_REPOSITORY_DAY.REVIEWS, AN_REPOSITORY_DAY.COMMITS,
                    AN_REPOSITORY_DAY.DEPLOYMENTS, AN_REPOSITORY_DAY.FAILED_DEPLOYMENTS, AN_REPOSITORY_DAY.PRS_REVIEWED,
                    AN_REPOSITORY_DAY.ADDITIONS, AN_REPOSITORY_DAY.DELETIONS, AN_REPOSITORY_DAY.COMMENTS));

    static final Rollup PERSON_WEEK = PERSON_DAY.weekly(AN_PERSON_WEEK);
    static final Rollup REPOSITORY_WEEK = REPOSITORY_DAY.weekly(AN_REPOSITORY_WEEK);

    private static final Comparator<PersonDay> PERSON_ORDER = Comparator.comparing(PersonDay::actor)
            .thenComparing(PersonDay::day).thenComparingLong(PersonDay::repositoryId);
    private static final Comparator<RepositoryDay> REPOSITORY_ORDER = Comparator.comparingLong(RepositoryDay::repositoryId)
            .thenComparing(RepositoryDay::day);

    private final DSLContext db;
    private final RowBatches rows;

    Aggregates(DSLContext db, RowBatches rows) {
        this.db = db;
        this.rows = rows;
    }

    /** The key's values in the order of the rollup's key columns. */
    private static List<Object> key(PersonDay k) {
        return List.of(k.actor(), k.repositoryId(), k.day());
    }

    private static List<Object> key(RepositoryDay k) {
        return List.of(k.repositoryId(), k.day());
    }

    /**
     * Adds the tally to the rows in place: concurrent additions commute, so no update is lost. One statement per
     * table, sent with every row's values ({@link RowBatches}).
     */
    void add(Tally tally) {
        Tally weeks = tally.weekly();
        // Tables in one order, and rows in one order, in every transaction: concurrent events cannot deadlock on them.
        addTo(PERSON_DAY, sorted(tally.people, PERSON_ORDER, Aggregates::key));
        addTo(PERSON_WEEK, sorted(weeks.people, PERSON_ORDER, Aggregates::key));
        addTo(REPOSITORY_DAY, sorted(tally.repositories, REPOSITORY_ORDER, Aggregates::key));
        addTo(REPOSITORY_WEEK, sorted(weeks.repositories, REPOSITORY_ORDER, Aggregates::key));
    }

    /** The sums that are not all zero, in the key's order, each with its key's values. */
    private static <K> List<Map.Entry<List<Object>, long[]>> sorted(Map<K, long[]> sums, Comparator<K> order,
                                                                   Function<K, List<Object>> key) {
        return sums.entrySet().stream().filter(e -> !Tally.isZero(e.getValue())).sorted(Map.Entry.comparingByKey(order))
                .map(e -> Map.entry(key.apply(e.getKey()), e.getValue())).toList();
    }

    /** Inserts each row, or adds its values to the row with that key. */
    private void addTo(Rollup rollup, List<Map.Entry<List<Object>, long[]>> sums) {
        if (sums.isEmpty()) {
            return;
        }
        this.rows.write(rollup.table().getName() + ": add", () -> {
            List<Field<?>> all = new ArrayList<>(rollup.key());
            all.addAll(rollup.columns());
            Map<Field<?>, Field<?>> added = new LinkedHashMap<>();
            rollup.columns().forEach(column -> added.put(column, plusExcluded(column)));
            return db.insertInto(rollup.table(), all).values(new Object[all.size()]).onDuplicateKeyUpdate().set(added);
        }, sums.stream().map(e -> row(rollup, e.getKey(), e.getValue())).toList());
    }

    private static <T extends Number> Field<T> plusExcluded(Field<T> column) {
        return column.plus(DSL.excluded(column));
    }

    private static Object convert(Field<?> column, long value) {
        return column.getType() == Integer.class ? (Object) Math.toIntExact(value) : (Object) value;
    }

    private static Object[] row(Rollup rollup, List<Object> key, long[] values) {
        Object[] row = new Object[key.size() + values.length];
        for (int i = 0; i < key.size(); i++) {
            row[i] = key.get(i);
        }
        for (int i = 0; i < values.length; i++) {
            row[key.size() + i] = convert(rollup.columns().get(i), values[i]);
        }
        return row;
    }

    /**
     * Makes the aggregate rows equal to the tally's (the full recompute). Only rows that differ are written: the
     * incremental path keeps them right, so a recompute usually writes nothing, and rewriting every row would cost
     * most of its time and leave as many dead rows behind.
     */
    void replaceAll(Tally tally) {
        Tally weeks = tally.weekly();
        replace(PERSON_DAY, keyed(tally.people, Aggregates::key));
        replace(PERSON_WEEK, keyed(weeks.people, Aggregates::key));
        replace(REPOSITORY_DAY, keyed(tally.repositories, Aggregates::key));
        replace(REPOSITORY_WEEK, keyed(weeks.repositories, Aggregates::key));
    }

    private static <K> Map<List<Object>, long[]> keyed(Map<K, long[]> sums, Function<K, List<Object>> key) {
        Map<List<Object>, long[]> out = new HashMap<>();
        sums.forEach((k, v) -> {
            if (!Tally.isZero(v)) {
                out.put(key.apply(k), v);
            }
        });
        return out;
    }

    private void replace(Rollup rollup, Map<List<Object>, long[]> wanted) {
        List<Query> writes = new ArrayList<>();
        try (var stored = db.selectFrom(rollup.table()).fetchSize(5000).fetchLazy()) {
            for (Record r : stored) {
                List<Object> key = rollup.key().stream().<Object>map(r::get).toList();
                long[] values = wanted.remove(key);
                Condition row = DSL.and(rollup.key().stream().map(f -> keyEquals(f, r)).toList());
                if (values == null) {
                    writes.add(db.deleteFrom(rollup.table()).where(row));
                } else if (!Arrays.equals(values, values(r, rollup.columns()))) {
                    writes.add(update(rollup, values, row));
                }
            }
        }
        for (int from = 0; from < writes.size(); from += 1000) {
            db.batch(writes.subList(from, Math.min(writes.size(), from + 1000))).execute();
        }
        insertRows(rollup, wanted.entrySet().stream().map(e -> row(rollup, e.getKey(), e.getValue())).toList());
    }

    private static <T> Condition keyEquals(Field<T> column, Record r) {
        return column.eq(r.get(column));
    }

    private static long[] values(Record r, List<Field<? extends Number>> columns) {
        long[] values = new long[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Number n = r.get(columns.get(i));
            values[i] = n == null ? 0 : n.longValue();
        }
        return values;
    }

    private Query update(Rollup rollup, long[] values, Condition row) {
        Map<Field<?>, Object> set = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            set.put(rollup.columns().get(i), convert(rollup.columns().get(i), values[i]));
        }
        return db.update(rollup.table()).set(set).where(row);
    }

    /** Many rows per statement: a recompute writes hundreds of thousands, and one statement per row is most of its time. */
    private void insertRows(Rollup rollup, List<Object[]> rows) {
        List<Field<?>> columns = new ArrayList<>(rollup.key());
        columns.addAll(rollup.columns());
        int perStatement = Math.max(1, 20_000 / columns.size()); // well below the drivers' bind-parameter limits
        for (int from = 0; from < rows.size(); from += perStatement) {
            var insert = db.insertInto(rollup.table(), columns);
            for (Object[] row : rows.subList(from, Math.min(rows.size(), from + perStatement))) {
                insert = insert.values(row);
            }
            insert.execute();
        }
    }
}
