package dev.forgeline.compliance.internal;

import static dev.forgeline.schema.Tables.COMPLIANCE_SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.Repositories;
import dev.forgeline.compliance.ComplianceScores;
import dev.forgeline.compliance.Rule;
import dev.forgeline.compliance.StudentCourse;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.Eventually;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two student teams of {@link StudentCourse}, their three weeks of GitLab history posted through the webhook
 * endpoint, scored by the recurring job (asked to run now, as an admin would) and read through the API. Every expected score was worked out by hand.
 */
@ForgelineTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "forgeline.admin-token=" + ComplianceTest.ADMIN_TOKEN)
class ComplianceTest {

    static final String ADMIN_TOKEN = "compliance-test-admin-0123456789";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @Autowired Repositories repositories;
    @Autowired ComplianceSnapshots snapshots;
    @Autowired TeamFactStore facts;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transaction;
    @Autowired ComplianceScores complianceScores;
    @LocalServerPort int port;

    TestHttp teacher;
    TestHttp student;
    String studentToken;
    String course;

    @BeforeAll
    void course() {
        teacher = new TestHttp(port, ADMIN_TOKEN);
        StudentCourse built = StudentCourse.create(port, ADMIN_TOKEN, json, db, organisations, repositories);
        course = built.slug;
        studentToken = built.studentToken;
        student = new TestHttp(port, studentToken);
        Instant assigned = Instant.now();
        // Asked to run now rather than on a short schedule: the servers of other test classes share this
        // database and run the recurring job on their own schedules. A 202 means a run that starts from now.
        Eventually.await("the scoring job asked to run", Duration.ofSeconds(60),
                () -> teacher.post("/api/v1/admin/jobs/compliance-score/run", null).statusCode() == 202);
        Eventually.await("both teams scored with their repositories", Duration.ofSeconds(60), () -> {
            JsonNode teams = compliance(teacher, "").get("teams");
            return teams.size() == 2 && teams.valueStream().allMatch(t -> !t.get("computedAt").isNull()
                    && Instant.parse(t.get("computedAt").asString()).isAfter(assigned));
        });
    }

    private JsonNode compliance(TestHttp as, String query) {
        var answer = as.get("/api/v1/orgs/" + course + "/metrics/compliance" + query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    private JsonNode team(String slug) {
        return compliance(teacher, "?team=" + slug).get("teams").get(0);
    }

    private static Map<String, Integer> ruleScores(JsonNode team) {
        Map<String, Integer> scores = new LinkedHashMap<>();
        team.get("rules").forEach(r -> scores.put(r.get("rule").asString(), r.get("score").isNull() ? null : r.get("score").asInt()));
        return scores;
    }

    private static Map<String, Integer> expected(Integer... scores) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            map.put(String.format("R%02d", i + 1), scores[i]);
        }
        return map;
    }

    @Test
    void everyRuleScoresTheHandComputedValueForEachTeam() {
        JsonNode a = team("team-a");
        // R03: 0.6 × min(1, 6/3) + 0.4 × 5/6; R07: 3 of 4 pipelines; R11: GitLab reports no commit sizes;
        // R13: all active, Bob and Alice reviewed others, Carol did not: 0.5 + 0.5 × 2/3.
        assertThat(ruleScores(a)).isEqualTo(expected(100, 100, 93, 100, 100, 100, 75, 100, 100, 100, null, 100, 83));
        assertThat(a.get("score").asInt()).as("(9 × 100 + 93 + 75 + 83) / 12").isEqualTo(96);
        assertThat(a.get("level").asString()).isEqualTo("green");
        assertThat(a.get("signals").size()).isZero();

        JsonNode b = team("team-b");
        // R01: 2 of 3 weeks; R02: Gini of [3, 1] normalised = 0.5; R03: 0.6 × 2/3 + 0.4 × 1/2; R04, R09: 1 of 4;
        // R05: 0.5 × 1/3 merged, none reviewed; R10: "wip" and "fix" are poor; R12: 3 of 4 commits on one day;
        // R13: both active, neither reviewed: 0.5.
        assertThat(ruleScores(b)).isEqualTo(expected(67, 50, 60, 25, 17, 0, null, 0, 25, 50, null, 31, 50));
        assertThat(b.get("score").asInt()).as("375 / 11").isEqualTo(34);
        assertThat(b.get("level").asString()).isEqualTo("red");
    }

    @Test
    void rulesLinkTheirEvidence() {
        JsonNode b = team("team-b");
        JsonNode r09 = b.get("rules").get(8);
        assertThat(r09.get("rule").asString()).isEqualTo("R09");
        assertThat(r09.get("evidence").valueStream().map(e -> e.get("ref").asString()).toList()).containsExactly("b1b1", "b2b2", "b3b3");
        assertThat(r09.get("evidence").get(0).get("url").asString())
                .isEqualTo("https://gitlab.example/" + course + "/team-b/-/commit/b1b1");
        JsonNode r10 = b.get("rules").get(9);
        assertThat(r10.get("evidence").valueStream().map(e -> e.get("note").asString()).toList())
                .containsExactly("message: wip", "message: fix");
        JsonNode r07 = team("team-a").get("rules").get(6);
        assertThat(r07.get("evidence").get(0).get("url").asString())
                .isEqualTo("https://gitlab.example/" + course + "/team-a/-/pipelines/2");
    }

    @Test
    void gamingSignalsAreFlaggedWithTheirEvidence() {
        JsonNode signals = team("team-b").get("signals");
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        signals.forEach(s -> byKind.put(s.get("signal").asString(), s));
        assertThat(byKind.keySet()).containsExactlyInAnyOrder("empty_commits", "instant_issues", "self_merge");
        JsonNode empty = byKind.get("empty_commits").get("evidence").get(0);
        assertThat(empty.get("ref").asString()).isEqualTo("b3b3");
        assertThat(empty.get("note").asString()).isEqualTo("changes nothing: fix");
        assertThat(empty.get("url").asString()).isEqualTo("https://gitlab.example/" + course + "/team-b/-/commit/b3b3");
        JsonNode instant = byKind.get("instant_issues").get("evidence").get(0);
        assertThat(instant.get("ref").asString()).isEqualTo("#1");
        assertThat(instant.get("url").asString()).isEqualTo("https://gitlab.example/" + course + "/team-b/-/issues/1");
        assertThat(instant.get("note").asString()).isEqualTo("closed 120 s after it was opened");
        JsonNode selfMerge = byKind.get("self_merge").get("evidence").get(0);
        assertThat(selfMerge.get("ref").asString()).isEqualTo("!1");
        assertThat(selfMerge.get("url").asString()).isEqualTo("https://gitlab.example/" + course + "/team-b/-/merge_requests/1");
    }

    @Test
    void weightsChangeTheWeightedScore() {
        var changed = put(ADMIN_TOKEN, "{\"weights\":{\"R07\":10}}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        try {
            assertThat(json.readTree(changed.body()).get("weights").get("R07").asDouble()).isEqualTo(10.0);
            assertThat(json.readTree(teacher.get("/api/v1/orgs/" + course + "/compliance/weights").body()).get("weights").get("R01").asDouble())
                    .isEqualTo(1.0);
            JsonNode a = team("team-a");
            assertThat(a.get("score").asInt()).as("(1151 + 9 × 75) / 21").isEqualTo(87);
            assertThat(a.get("rules").get(6).get("weight").asDouble()).isEqualTo(10.0);
            assertThat(team("team-b").get("score").asInt()).as("R07 is unscored for team B").isEqualTo(34);
        } finally {
            put(ADMIN_TOKEN, "{\"weights\":{\"R07\":1}}");
        }
        assertThat(team("team-a").get("score").asInt()).isEqualTo(96);
    }

    @Test
    void badWeightsAreRefusedWithAReason() {
        var unknown = put(ADMIN_TOKEN, "{\"weights\":{\"R14\":1}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown rule 'R14'");
        assertThat(put(ADMIN_TOKEN, "{\"weights\":{\"R01\":-1}}").statusCode()).isEqualTo(400);
        assertThat(put(ADMIN_TOKEN, "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aStudentSeesOnlyTheirOwnTeam() {
        assertThat(student.get("/api/v1/orgs/" + course + "/metrics/compliance?team=team-a").statusCode()).isEqualTo(404);
        JsonNode own = compliance(student, "");
        assertThat(own.get("teams").valueStream().map(t -> t.get("team").asString()).toList()).containsExactly("team-b");
        assertThat(compliance(student, "?team=team-b").get("teams").get(0).get("score").asInt()).isEqualTo(34);
        assertThat(put(studentToken, "{\"weights\":{\"R01\":5}}").statusCode()).as("only teachers set weights").isEqualTo(403);
        assertThat(student.get("/api/v1/orgs/no-such-course/metrics/compliance").statusCode()).isEqualTo(404);
    }

    @Test
    void weeklySnapshotsFeedTheTrendAndOldOnesAreDeleted() {
        JsonNode before = team("team-a");
        long teamId = organisations.team(organisations.find(course).orElseThrow().id(), "team-a").orElseThrow().id();
        LocalDate longAgo = LocalDate.now(ZoneOffset.UTC).minusDays(200);
        db.insertInto(COMPLIANCE_SNAPSHOT).set(COMPLIANCE_SNAPSHOT.TEAM_ID, teamId).set(COMPLIANCE_SNAPSHOT.WEEK, longAgo)
                .set(COMPLIANCE_SNAPSHOT.ORGANISATION_ID, 0L).set(COMPLIANCE_SNAPSHOT.SCORE, 10).set(COMPLIANCE_SNAPSHOT.RULES, "{}")
                .set(COMPLIANCE_SNAPSHOT.TAKEN_AT, OffsetDateTime.now(ZoneOffset.UTC).minusDays(200)).execute();

        snapshots.run();
        snapshots.run();

        LocalDate monday = LocalDate.now(ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        JsonNode trend = team("team-a").get("trend");
        assertThat(trend.size()).as("one point a week, however often the job runs").isEqualTo(1);
        assertThat(trend.get(0).get("week").asString()).isEqualTo(monday.toString());
        assertThat(trend.get(0).get("score").asInt()).isEqualTo(before.get("score").asInt());
        assertThat(db.fetchCount(COMPLIANCE_SNAPSHOT, COMPLIANCE_SNAPSHOT.WEEK.eq(longAgo))).as("older than 180 days").isZero();
    }

    @Test
    void otherModulesReadTheLatestScoresThroughThePublicApi() {
        long teamId = organisations.team(organisations.find(course).orElseThrow().id(), "team-b").orElseThrow().id();
        var latest = complianceScores.latest(teamId).orElseThrow();
        assertThat(latest.score()).isEqualTo(34);
        assertThat(latest.level()).isEqualTo("red");
        assertThat(latest.rules().get(Rule.R12)).isEqualTo(31);
        assertThat(latest.signals()).isEqualTo(3);
    }

    @Test
    void eventsInAnyOrderConvergeToTheSameFacts() {
        long inOrder = 990_000_000L + (System.nanoTime() % 1_000_000) * 2;
        long reversed = inOrder + 1;
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        ForgeEvent.Repo repo = new ForgeEvent.Repo("gitlab", "1", "course/order", "main", "https://gitlab.example/course/order");
        List<ForgeEvent> history = List.of(
                new ForgeEvent.PullRequest(repo, mr("open", "alice", null, t, t), "opened", "alice", t),
                new ForgeEvent.Review(repo, 7, mr("open", null, null, t, t.plusSeconds(60)), "approval:bob", "bob", "approved", t.plusSeconds(60)),
                new ForgeEvent.PullRequest(repo, mr("merged", null, t.plusSeconds(120), t, t.plusSeconds(120)), "merged", "carol", t.plusSeconds(120)),
                new ForgeEvent.Pipeline(repo, "55", "ci", "main", "abc", "running", t, t, null),
                new ForgeEvent.Pipeline(repo, "55", "ci", "main", "abc", "success", t, t, t.plusSeconds(90)),
                new ForgeEvent.Issue(repo, 3, "Plan", "open", "dave", List.of(), t, t, null),
                new ForgeEvent.Issue(repo, 3, "Plan", "closed", null, List.of(), t, t.plusSeconds(30), t.plusSeconds(30)));
        record(inOrder, history);
        List<ForgeEvent> backwards = new ArrayList<>(history);
        Collections.reverse(backwards);
        record(reversed, backwards);
        record(reversed, backwards);

        TeamFacts a = facts.load(List.of(inOrder), t.minusSeconds(3600), t.plusSeconds(3600));
        TeamFacts b = facts.load(List.of(reversed), t.minusSeconds(3600), t.plusSeconds(3600));
        assertThat(a.mergeRequests()).singleElement().satisfies(m -> {
            assertThat(m.author()).isEqualTo("alice");
            assertThat(m.mergedBy()).isEqualTo("carol");
            assertThat(m.state()).isEqualTo("merged");
        });
        assertThat(b.mergeRequests()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("repositoryId").isEqualTo(a.mergeRequests());
        assertThat(b.reviews()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("repositoryId").isEqualTo(a.reviews());
        assertThat(b.issues()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("repositoryId").isEqualTo(a.issues());
        assertThat(a.issues().getFirst().author()).isEqualTo("dave");
        assertThat(a.issues().getFirst().closedAt()).isEqualTo(t.plusSeconds(30));
        assertThat(b.pipelines()).singleElement().satisfies(p -> assertThat(p.status()).as("a late running does not undo success").isEqualTo("success"));
    }

    private static ForgeEvent.PullRequestSnapshot mr(String state, String author, Instant merged, Instant created, Instant updated) {
        return new ForgeEvent.PullRequestSnapshot(7, "Login", author, state, false, created, updated, merged, merged, null,
                "feature/login", "main", null, null, null);
    }

    private void record(long repositoryId, List<ForgeEvent> history) {
        history.forEach(event -> transaction.executeWithoutResult(tx -> events.publishEvent(new ActivityRecorded(1, repositoryId, event))));
    }

    private HttpResponse<String> put(String token, String body) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/orgs/" + course + "/compliance/weights"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
