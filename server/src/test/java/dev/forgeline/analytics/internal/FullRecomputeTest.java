package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_DEPLOYMENT;
import static dev.forgeline.schema.Tables.AN_INCIDENT;
import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_PERSON_WEEK;
import static dev.forgeline.schema.Tables.AN_PR_REVIEWER;
import static dev.forgeline.schema.Tables.AN_PULL_REQUEST;
import static dev.forgeline.schema.Tables.AN_RECOMPUTE_REQUEST;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_DAY;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_WEEK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.analytics.AnalyticsTests;
import dev.forgeline.analytics.GithubDeliveries;
import dev.forgeline.analytics.GithubDeliveries.Delivery;
import dev.forgeline.analytics.HistoryBuilder;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.json.JsonMapper;

@ForgelineTest
@TestPropertySource(properties = {AnalyticsTests.ADMIN, AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB,
        AnalyticsTests.SNAPSHOTS_KEPT_30_DAYS})
class FullRecomputeTest {

    static final String ADMIN_TOKEN = AnalyticsTests.ADMIN_TOKEN;

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired FullRecompute recompute;
    @Autowired RequestedRecompute requested;
    @Autowired TransactionTemplate transaction;
    @LocalServerPort int port;

    /** A new connection's repositories, numbered from base. */
    private List<GithubDeliveries> repositories(String name, long base, int count) {
        String secret = "secret-" + UUID.randomUUID();
        var answer = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"" + name + "\",\"secret\":\"" + secret + "\"}");
        long connection = json.readTree(answer.body()).get("id").asLong();
        List<GithubDeliveries> repositories = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            repositories.add(new GithubDeliveries(port, connection, secret, json, base + i));
        }
        return repositories;
    }

    @Test
    void fullRecomputeGivesExactlyTheNumbersOfTheIncrementalUpdates() {
        List<GithubDeliveries> repositories = repositories("history", 700_000_000L + (System.nanoTime() % 1_000_000) * 10, 2);
        GithubDeliveries first = repositories.get(0);
        GithubDeliveries second = repositories.get(1);
        List<Delivery> deliveries = new ArrayList<>();
        deliveries.addAll(HistoryBuilder.history(first, 1, 60, Instant.parse("2026-03-02T08:00:00Z")));
        deliveries.addAll(HistoryBuilder.history(second, 2, 60, Instant.parse("2026-03-05T22:00:00Z")));
        GithubDeliveries.sendAll(db, first.connection(), repositories, deliveries, first);

        List<String> incremental = everything();
        assertThat(db.fetchCount(AN_PULL_REQUEST, AN_PULL_REQUEST.DEPLOYED_AT.isNotNull())).isPositive();
        assertThat(db.fetchCount(AN_DEPLOYMENT, AN_DEPLOYMENT.INCIDENT_COUNT.gt(0))).isPositive();
        transaction.executeWithoutResult(tx -> recompute.recompute());
        List<String> recomputed = everything();
        List<String> onlyIncremental = new ArrayList<>(incremental);
        onlyIncremental.removeAll(recomputed);
        List<String> onlyRecomputed = new ArrayList<>(recomputed);
        onlyRecomputed.removeAll(incremental);
        assertThat(onlyIncremental).as("rows only the incremental path has (recompute has %s)", onlyRecomputed).isEmpty();
        assertThat(recomputed).isEqualTo(incremental);
    }

    @Test
    void aRecomputeAskedForByAMigrationFillsTheSpansAndWeeksOfRowsWrittenBeforeIt() {
        GithubDeliveries repository = repositories("spans", 800_000_000L + (System.nanoTime() % 1_000_000) * 10, 1).get(0);
        GithubDeliveries.sendAll(db, repository.connection(), List.of(repository),
                HistoryBuilder.history(repository, 1, 20, Instant.parse("2026-04-06T08:00:00Z")), repository);
        List<String> incremental = everything();
        var pr = AN_PULL_REQUEST;
        assertThat(db.fetchCount(pr, pr.CYCLE_SECONDS.isNotNull().and(pr.LEAD_SECONDS.isNotNull()))).isPositive();
        assertThat(db.fetchCount(AN_REPOSITORY_WEEK)).isPositive();

        // As rows stood before the migration that added spans and weeks, with the request it leaves.
        db.update(pr).set(FactStore.spanColumns(new Long[7])).execute();
        db.deleteFrom(AN_PERSON_WEEK).execute();
        db.deleteFrom(AN_REPOSITORY_WEEK).execute();
        db.insertInto(AN_RECOMPUTE_REQUEST).set(AN_RECOMPUTE_REQUEST.REASON, "test: spans")
                .set(AN_RECOMPUTE_REQUEST.REQUESTED_AT, java.time.OffsetDateTime.now()).execute();
        assertThat(requested.runRequested()).isTrue();

        assertThat(everything()).isEqualTo(incremental);
        assertThat(db.fetchCount(AN_RECOMPUTE_REQUEST)).isZero();
        assertThat(requested.runRequested()).as("a request is taken once").isFalse();
    }

    /** Every aggregate row with a number in it, and every derived fact, as text in a fixed order. */
    private List<String> everything() {
        List<String> rows = new ArrayList<>();
        rows.addAll(rows(AN_PERSON_DAY, AN_PERSON_DAY.ACTOR, AN_PERSON_DAY.ACTIVITY_DAY, AN_PERSON_DAY.REPOSITORY_ID));
        rows.addAll(rows(AN_REPOSITORY_DAY, AN_REPOSITORY_DAY.REPOSITORY_ID, AN_REPOSITORY_DAY.ACTIVITY_DAY));
        rows.addAll(rows(AN_PERSON_WEEK, AN_PERSON_WEEK.ACTOR, AN_PERSON_WEEK.WEEK, AN_PERSON_WEEK.REPOSITORY_ID));
        rows.addAll(rows(AN_REPOSITORY_WEEK, AN_REPOSITORY_WEEK.REPOSITORY_ID, AN_REPOSITORY_WEEK.WEEK));
        rows.addAll(rows(AN_PULL_REQUEST, AN_PULL_REQUEST.REPOSITORY_ID, AN_PULL_REQUEST.NUMBER));
        rows.addAll(rows(AN_PR_REVIEWER, AN_PR_REVIEWER.REPOSITORY_ID, AN_PR_REVIEWER.NUMBER, AN_PR_REVIEWER.REVIEWER));
        rows.addAll(rows(AN_DEPLOYMENT, AN_DEPLOYMENT.REPOSITORY_ID, AN_DEPLOYMENT.SOURCE, AN_DEPLOYMENT.FORGE_ID));
        rows.addAll(rows(AN_INCIDENT, AN_INCIDENT.REPOSITORY_ID, AN_INCIDENT.NUMBER));
        return rows;
    }

    private List<String> rows(Table<?> table, org.jooq.Field<?>... order) {
        List<String> out = new ArrayList<>();
        for (Record r : db.selectFrom(table).orderBy(order).fetch()) {
            List<String> values = new ArrayList<>();
            boolean allZero = true;
            for (int i = 0; i < r.size(); i++) {
                Object v = r.get(i);
                if (v instanceof java.time.OffsetDateTime t) {
                    v = t.toInstant();
                }
                if (v instanceof Number number && number.longValue() != 0 && r.field(i).getType() != Long.class) {
                    allZero = false;
                }
                if (v instanceof Number number && r.field(i).getName().endsWith("seconds") && number.longValue() != 0) {
                    allZero = false;
                }
                values.add(String.valueOf(v));
            }
            boolean aggregate = table == AN_PERSON_DAY || table == AN_REPOSITORY_DAY || table == AN_PERSON_WEEK
                    || table == AN_REPOSITORY_WEEK;
            if (!aggregate || !allZero) {
                out.add(table.getName() + " " + values);
            }
        }
        return out;
    }
}
