package dev.forgeline.analytics.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.Query;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Statements that write many rows of one shape. jOOQ renders each once in the process's life, for its database, and
 * JDBC runs it as one batch with every row's values, in the transaction's connection. A batch of deliveries writes
 * a few dozen rows to each fact table: rendering and binding them through jOOQ every time cost more than running them.
 */
@Component
class RowBatches {

    private final DSLContext db;
    private final JdbcTemplate jdbc;
    private final Map<String, Rendered> rendered = new ConcurrentHashMap<>();

    RowBatches(DSLContext db, JdbcTemplate jdbc) {
        this.db = db;
        this.jdbc = jdbc;
    }

    private record Rendered(String sql, int[] types) {
    }

    /**
     * Runs the statement once per row.
     * @param name names the statement's shape: query is rendered at its first use only
     * @param query the statement with a parameter for each value of a row, in the row's order
     */
    void write(String name, Supplier<Query> query, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Rendered statement = rendered.computeIfAbsent(name, n -> render(query.get()));
        jdbc.batchUpdate(statement.sql(), rows, statement.types());
    }

    private Rendered render(Query query) {
        // The parameters in the order of their placeholders, with the SQL type of the column each stands for.
        int[] types = query.getParams().values().stream().mapToInt(p -> ((Param<?>) p).getDataType().getSQLType()).toArray();
        return new Rendered(db.render(query), types);
    }
}
