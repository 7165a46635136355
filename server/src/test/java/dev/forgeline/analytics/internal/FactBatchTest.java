package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_BRANCH;
import static dev.forgeline.schema.Tables.AN_COMMIT;
import static dev.forgeline.schema.Tables.AN_DEPLOYMENT;
import static dev.forgeline.schema.Tables.AN_INCIDENT;
import static dev.forgeline.schema.Tables.AN_PERSON_DAY;
import static dev.forgeline.schema.Tables.AN_PR_REVIEWER;
import static dev.forgeline.schema.Tables.AN_PULL_REQUEST;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_DAY;
import static dev.forgeline.schema.Tables.AN_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.ForgeEvent.Comment;
import dev.forgeline.activity.ForgeEvent.Commit;
import dev.forgeline.activity.ForgeEvent.Deployment;
import dev.forgeline.activity.ForgeEvent.Issue;
import dev.forgeline.activity.ForgeEvent.Pipeline;
import dev.forgeline.activity.ForgeEvent.PullRequest;
import dev.forgeline.activity.ForgeEvent.PullRequestSnapshot;
import dev.forgeline.activity.ForgeEvent.Push;
import dev.forgeline.activity.ForgeEvent.Repo;
import dev.forgeline.activity.ForgeEvent.Review;
import dev.forgeline.analytics.AnalyticsTests;
import dev.forgeline.test.ForgelineTest;

/**
 * Ingest applies a batch of a repository's events to the facts together, in one transaction: what the events will
 * read is read first, changed in memory and written at the end. The facts and aggregates must be exactly those that
 * one transaction per event leaves, whatever the batch holds.
 */
@ForgelineTest
@TestPropertySource(properties = {AnalyticsTests.ADMIN, AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB})
class FactBatchTest {

    static final Instant T = Instant.parse("2026-03-02T09:00:00Z");
    static final Repo REPO = new Repo("github", "batch", "acme/batch", "main", null);

    @Autowired FactRecorder recorder;
    @Autowired ProductionEnvironments production;
    @Autowired TransactionTemplate transaction;
    @Autowired DSLContext db;

    @Test
    void aBatchLeavesTheFactsThatOneTransactionPerEventLeaves() {
        long base = 800_000_000L + (System.nanoTime() % 1_000_000) * 10;
        List<ForgeEvent> events = history();

        long alone = base + 1;
        apply(alone, 1, events);
        var p = AN_PULL_REQUEST;
        assertThat(db.select(p.NUMBER, p.FIRST_COMMIT_AT, p.FIRST_RESPONSE_AT, p.FIRST_REVIEW_AT, p.DEPLOYED_AT).from(p)
                .where(p.REPOSITORY_ID.eq(alone)).orderBy(p.NUMBER).fetch(r -> Arrays.asList(r.value1(), instant(r.value2()),
                        instant(r.value3()), instant(r.value4()), instant(r.value5()))))
                .as("what the history makes of its pull requests, one transaction per event").containsExactly(
                        Arrays.asList(1L, at(-5), at(-0.05), at(0.12), at(2.5)),
                        Arrays.asList(2L, at(0.8), null, null, at(2.5)),
                        Arrays.asList(3L, at(4.5), at(5.04), at(5.08), at(6.5)),
                        Arrays.asList(4L, null, at(7.1), at(7.1), null));
        assertThat(db.select(AN_INCIDENT.NUMBER, AN_INCIDENT.DEPLOYMENT_FORGE_ID).from(AN_INCIDENT)
                .where(AN_INCIDENT.REPOSITORY_ID.eq(alone)).orderBy(AN_INCIDENT.NUMBER).fetch(r -> r.value1() + ":" + r.value2()))
                .containsExactly("10:d2", "12:null");
        List<String> expected = facts(alone);

        long together = base + 2;
        apply(together, events.size(), events);
        assertThat(facts(together)).as("all events in one transaction").isEqualTo(expected);

        long inParts = base + 3;
        apply(inParts, 8, events);
        assertThat(facts(inParts)).as("in transactions of eight events").isEqualTo(expected);
    }

    private static Instant instant(java.time.OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** Applies the events to the repository, perTransaction at a time. */
    private void apply(long repository, int perTransaction, List<ForgeEvent> events) {
        production.set(repository, "^production$", "^deploy");
        for (int from = 0; from < events.size(); from += perTransaction) {
            List<ForgeEvent> part = events.subList(from, Math.min(events.size(), from + perTransaction));
            Consumer<ForgeEvent> record = e -> recorder.on(new ActivityRecorded(1, repository, e));
            transaction.executeWithoutResult(tx -> part.forEach(record));
        }
    }

    /** Every fact and non-zero aggregate row of the repository, without its id, as text in a fixed order. */
    private List<String> facts(long repository) {
        List<String> rows = new ArrayList<>();
        rows.addAll(rows(AN_PULL_REQUEST, AN_PULL_REQUEST.REPOSITORY_ID, repository));
        rows.addAll(rows(AN_RESPONSE, AN_RESPONSE.REPOSITORY_ID, repository));
        rows.addAll(rows(AN_PR_REVIEWER, AN_PR_REVIEWER.REPOSITORY_ID, repository));
        rows.addAll(rows(AN_COMMIT, AN_COMMIT.REPOSITORY_ID, repository));
        rows.addAll(rows(AN_BRANCH, AN_BRANCH.REPOSITORY_ID, repository));
        rows.addAll(rows(AN_DEPLOYMENT, AN_DEPLOYMENT.REPOSITORY_ID, repository));
        rows.addAll(rows(AN_INCIDENT, AN_INCIDENT.REPOSITORY_ID, repository));
        rows.addAll(rows(AN_PERSON_DAY, AN_PERSON_DAY.REPOSITORY_ID, repository).stream().filter(FactBatchTest::counts).toList());
        rows.addAll(rows(AN_REPOSITORY_DAY, AN_REPOSITORY_DAY.REPOSITORY_ID, repository).stream().filter(FactBatchTest::counts).toList());
        return rows;
    }

    private List<String> rows(Table<?> table, TableField<?, Long> repositoryId, long repository) {
        Field<?>[] columns = Arrays.stream(table.fields()).filter(f -> !f.equals(repositoryId)).toArray(Field[]::new);
        List<String> rows = new ArrayList<>();
        for (Record r : db.select(columns).from(table).where(repositoryId.eq(repository)).fetch()) {
            StringBuilder row = new StringBuilder(table.getName());
            for (Field<?> column : columns) {
                Object value = r.get(column);
                row.append('|').append(value instanceof java.time.OffsetDateTime t ? t.toInstant() : value);
            }
            rows.add(row.toString());
        }
        rows.sort(null);
        return rows;
    }

    /** Whether an aggregate row holds a number other than zero (a row whose contributions cancelled out holds none). */
    private static boolean counts(String row) {
        return Arrays.stream(row.split("\\|")).anyMatch(v -> v.matches("-?[1-9]\\d*"));
    }

    // The history ---------------------------------------------------------------------------------------------

    private static Instant at(double days) {
        return T.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    private static PullRequestSnapshot pr(long number, String author, String state, double created, Double merged, String head) {
        Instant mergedAt = merged == null ? null : at(merged);
        return new PullRequestSnapshot(number, "PR " + number, author, state, false, at(created),
                mergedAt != null ? mergedAt : at(created), mergedAt, mergedAt, mergedAt == null ? null : "m" + number, head,
                "main", 10 * (int) number, 2, 1);
    }

    private static Commit commit(String sha, String author, double authored) {
        return new Commit(sha, author, author + "@example.com", author, at(authored), "change " + sha, 5, 1);
    }

    private static Push push(String branch, Commit... commits) {
        return new Push(REPO, "refs/heads/" + branch, "0", commits[commits.length - 1].sha(), commits[0].authorLogin(),
                commits[commits.length - 1].authoredAt(), List.of(commits));
    }

    private static Deployment deployment(String id, String environment, double created, String state, Double stateAt) {
        return new Deployment(REPO, id, environment, "sha-" + id, "main", "alice", at(created), state,
                stateAt == null ? null : at(stateAt));
    }

    private static Issue issue(long number, boolean incident, String state, double created, double updated) {
        return new Issue(REPO, number, "Issue " + number, state, "dave", incident ? List.of("bug", "Incident") : List.of("bug"),
                at(created), at(updated), state.equals("closed") ? at(updated) : null);
    }

    /**
     * Answers before a pull request is opened, a review by its author, a push that brings an earlier commit, a
     * self-merge without review, a deployment whose success is reported twice (the second earlier), an incident
     * re-blamed on a later deployment, one before any deployment, a pipeline that deploys, a staging deployment, a
     * review that arrives before its pull request's opening, and redeliveries.
     */
    static List<ForgeEvent> history() {
        return List.of(
                new Comment(REPO, "pull_request", "1", "c1", "bob", at(-0.05)),
                push("feature-1", commit("a1", "alice", -2), commit("a2", "alice", -1)),
                new PullRequest(REPO, pr(1, "alice", "open", 0, null, "feature-1"), "opened", "alice", at(0)),
                new Review(REPO, 1, pr(1, "alice", "open", 0, null, "feature-1"), "r1", "alice", "commented", at(0.04)),
                new Review(REPO, 1, pr(1, "alice", "open", 0, null, "feature-1"), "r2", "bob", "approved", at(0.12)),
                push("feature-1", commit("a0", "alice", -5), commit("a2", "alice", -1)),
                new PullRequest(REPO, pr(1, "alice", "merged", 0, 1.0, "feature-1"), "closed", "carol", at(1)),
                push("feature-2", commit("c3", "carol", 0.8)),
                new PullRequest(REPO, pr(2, "carol", "open", 1, null, "feature-2"), "opened", "carol", at(1)),
                new PullRequest(REPO, pr(2, "carol", "merged", 1, 2.0, "feature-2"), "closed", "carol", at(2)),
                deployment("d1", "production", 2.1, null, null),
                deployment("d1", "production", 2.1, "success", 3.0),
                deployment("d1", "production", 2.1, "success", 2.5),
                issue(10, true, "open", 4, 4),
                deployment("d2", "production", 3.4, "success", 3.5),
                issue(10, true, "closed", 4, 5),
                issue(11, false, "open", 4, 4),
                issue(12, true, "open", -10, -10),
                new PullRequest(REPO, pr(3, "dave", "open", 5, null, "feature-3"), "opened", "dave", at(5)),
                new Comment(REPO, "pull_request", "3", "c2", "bob", at(5.04)),
                new Review(REPO, 3, pr(3, "dave", "open", 5, null, "feature-3"), "r3", "carol", "approved", at(5.08)),
                push("feature-3", commit("d1", "dave", 4.5)),
                new PullRequest(REPO, pr(3, "dave", "merged", 5, 6.0, "feature-3"), "closed", "alice", at(6)),
                new Pipeline(REPO, "p1", "deploy-production", "main", "m3", "success", at(6.4), at(6.4), at(6.5)),
                deployment("d3", "staging", 7, "success", 7.0),
                new Review(REPO, 4, pr(4, "erin", "open", 7, null, "feature-4"), "r4", "bob", "approved", at(7.1)),
                new PullRequest(REPO, pr(4, "erin", "open", 7, null, "feature-4"), "opened", "erin", at(7)),
                new Comment(REPO, "pull_request", "4", "c3", "erin", at(7.2)),
                // Redeliveries change nothing.
                new Review(REPO, 1, pr(1, "alice", "open", 0, null, "feature-1"), "r2", "bob", "approved", at(0.12)),
                new Comment(REPO, "pull_request", "3", "c2", "bob", at(5.04)),
                deployment("d2", "production", 3.4, "success", 3.5),
                push("feature-3", commit("d1", "dave", 4.5)));
    }
}
