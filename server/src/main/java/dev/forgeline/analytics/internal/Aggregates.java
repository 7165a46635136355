package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_DAY;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final RowBatches rows;

    Aggregates(DSLContext db, RowBatches rows) {
        this.db = db;
        this.rows = rows;
    }

    /**
     * Adds the tally to the rows in place: concurrent additions commute, so no update is lost. One statement per
     * table, sent with every row's values ({@link RowBatches}).
     */
    void add(Tally tally) {
        var p = AN_PERSON_DAY;
        // Rows in one order in every transaction, so that concurrent events cannot deadlock on them.
        var people = new ArrayList<>(tally.people.entrySet());
        people.sort(Map.Entry.comparingByKey(PERSON_ORDER));
        addTo(p, List.of(p.ACTOR, p.REPOSITORY_ID, p.ACTIVITY_DAY), PERSON_COLUMNS, people.stream()
                .filter(e -> !Tally.isZero(e.getValue()))
                .map(e -> row(PERSON_COLUMNS, e.getValue(), e.getKey().actor(), e.getKey().repositoryId(), e.getKey().day()))
                .toList());
        var d = AN_REPOSITORY_DAY;
        var repositories = new ArrayList<>(tally.repositories.entrySet());
        repositories.sort(Map.Entry.comparingByKey(REPOSITORY_ORDER));
        addTo(d, List.of(d.REPOSITORY_ID, d.ACTIVITY_DAY), REPOSITORY_COLUMNS, repositories.stream()
                .filter(e -> !Tally.isZero(e.getValue()))
                .map(e -> row(REPOSITORY_COLUMNS, e.getValue(), e.getKey().repositoryId(), e.getKey().day()))
                .toList());
    }

    /** Inserts each row (key, then values), or adds its values to the row with that key. */
    private void addTo(Table<?> table, List<Field<?>> key, List<Field<? extends Number>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        this.rows.write(table.getName() + ": add", () -> {
            List<Field<?>> all = new ArrayList<>(key);
            all.addAll(columns);
            Map<Field<?>, Field<?>> sums = new LinkedHashMap<>();
            columns.forEach(column -> sums.put(column, plusExcluded(column)));
            return db.insertInto(table, all).values(new Object[all.size()]).onDuplicateKeyUpdate().set(sums);
        }, rows);
    }

    private static <T extends Number> Field<T> plusExcluded(Field<T> column) {
        return column.plus(DSL.excluded(column));
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
        Map<Field<?>, Object> set = new LinkedHashMap<>();
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
