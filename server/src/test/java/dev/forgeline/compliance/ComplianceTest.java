package dev.forgeline.compliance;

import static dev.forgeline.schema.Tables.API_TOKEN;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.compliance.GitlabHistory.Author;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.test.Eventually;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two student teams of one course, their three weeks of GitLab history posted through the webhook endpoint, scored
 * by the recurring job and read through the API. Every expected score below was worked out by hand from the history.
 */
@ForgelineTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {"forgeline.admin-token=" + ComplianceTest.ADMIN_TOKEN,
        "forgeline.jobs.compliance-score.schedule=1s"})
class ComplianceTest {

    static final String ADMIN_TOKEN = "compliance-test-admin-0123456789";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @Autowired Repositories repositories;
    @LocalServerPort int port;

    TestHttp teacher;
    TestHttp student;
    String studentToken;
    String course;
    /** Day 0 of the history, 00:00 UTC twenty days ago: every team is scored over three weeks. */
    Instant day0;

    Instant at(int day, int hour, int minute) {
        return day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute));
    }

    @BeforeAll
    void course() {
        teacher = new TestHttp(port, ADMIN_TOKEN);
        String run = UUID.randomUUID().toString().substring(0, 8);
        day0 = LocalDate.now(ZoneOffset.UTC).minusDays(20).atStartOfDay(ZoneOffset.UTC).toInstant();
        String secret = "course-secret-" + run + run;
        var created = teacher.post("/api/v1/connections", "{\"provider\":\"gitlab\",\"name\":\"course\",\"secret\":\"" + secret + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long connection = json.readTree(created.body()).get("id").asLong();

        course = "se-" + run;
        Organisation org = organisations.create(course, "Software Engineering", Organisation.Kind.COURSE);
        organisations.assignConnection(org.id(), connection);
        Team a = organisations.createTeam(org.id(), "team-a", "Team A");
        Team b = organisations.createTeam(org.id(), "team-b", "Team B");
        Author alice = student(org, a, "alice", run);
        Author bob = student(org, a, "bob", run);
        Author carol = student(org, a, "carol", run);
        Author dave = student(org, b, "dave", run);
        Author erin = student(org, b, "erin", run);
        studentToken = token(organisations.personOf("gitlab", dave.login(), null).orElseThrow());
        student = new TestHttp(port, studentToken);

        long projectA = 700_000_000L + Math.abs(run.hashCode() % 1_000_000) * 10;
        GitlabHistory teamA = new GitlabHistory(json, port, connection, secret, projectA, course + "/team-a");
        GitlabHistory teamB = new GitlabHistory(json, port, connection, secret, projectA + 1, course + "/team-b");

        // Team A: three members, a commit each per week on its own branch and day, every commit linked to an issue,
        // merge requests reviewed by someone else, a pipeline every week (one failed), docs kept up.
        teamA.issue(1, "Project skeleton", alice, at(0, 9, 0), at(2, 9, 0))
                .issue(2, "Readme", bob, at(1, 9, 0), at(3, 9, 0))
                .issue(3, "CI", carol, at(2, 9, 0), at(4, 9, 0))
                .issue(4, "Login", alice, at(7, 9, 0), at(9, 9, 0))
                .issue(5, "Sessions", bob, at(9, 9, 0), at(11, 9, 0))
                .issue(6, "Expiry", alice, at(14, 9, 0), null)
                .push("feature/skeleton", alice, "a1a1", "Add project skeleton #1", at(0, 10, 0), alice)
                .push("docs/readme", bob, "a2a2", "Write README with build steps #2", at(1, 11, 0), bob)
                .push("ci/setup", carol, "a3a3", "Add CI configuration for tests #3", at(2, 12, 0), carol)
                .push("feature/login", alice, "a4a4", "Implement login form #4", at(8, 10, 0), alice)
                .push("feature/session", bob, "a5a5", "Add session storage #5", at(9, 11, 0), bob)
                .push("feature/login-tests", carol, "a6a6", "Test login form validation #4", at(10, 12, 0), carol)
                .push("feature/expiry", alice, "a7a7", "Handle expired sessions #6", at(15, 10, 0), alice)
                .push("docs/session", bob, "a8a8", "Document the session API #5", at(16, 11, 0), bob)
                .push("feature/logout", carol, "a9a9", "Add logout button #7", at(17, 12, 0), carol)
                .openMergeRequest(1, "feature/skeleton", alice, at(0, 14, 0))
                .approve(1, "feature/skeleton", bob, at(0, 14, 0), at(1, 10, 0))
                .merge(1, "feature/skeleton", carol, at(0, 14, 0), at(1, 15, 0))
                .openMergeRequest(2, "feature/session", bob, at(8, 14, 0))
                .commentOnMergeRequest(2, 9001, alice, at(9, 9, 0))
                .merge(2, "feature/session", bob, at(8, 14, 0), at(9, 10, 0))
                .openMergeRequest(3, "feature/expiry", carol, at(15, 14, 0))
                .approve(3, "feature/expiry", alice, at(15, 14, 0), at(16, 9, 0))
                .merge(3, "feature/expiry", alice, at(15, 14, 0), at(16, 10, 0))
                .pipeline(1, "feature/skeleton", "a1a1", "success", at(0, 10, 5), at(0, 10, 9))
                .pipeline(2, "feature/login", "a4a4", "failed", at(8, 10, 5), at(8, 10, 9))
                .pipeline(3, "feature/login", "a4a4", "success", at(8, 11, 0), at(8, 11, 4))
                .pipeline(4, "feature/expiry", "a7a7", "success", at(15, 10, 5), at(15, 10, 9));

        // Team B: Dave does most of it straight on main the night before the deadline, an issue is opened and closed
        // at once, Erin merges her own merge request unreviewed, no pipelines, no docs.
        teamB.issue(1, "Plan", dave, at(0, 9, 0), at(0, 9, 2))
                .push("main", dave, "b1b1", "wip", at(1, 10, 0), dave)
                .issue(2, "Tests", erin, at(19, 19, 0), null)
                .push("main", dave, "b2b2", "Implement everything for the project", at(19, 20, 0), dave,
                        "b3b3", "fix", at(19, 21, 0), dave)
                .push("feature/tests", erin, "b4b4", "Add tests for everything #1", at(19, 22, 0), erin)
                .openMergeRequest(1, "feature/tests", erin, at(19, 22, 30))
                .merge(1, "feature/tests", erin, at(19, 22, 30), at(19, 23, 0));

        var status = (java.util.function.LongFunction<String>) id -> db.select(WEBHOOK_EVENT.STATUS).from(WEBHOOK_EVENT)
                .where(WEBHOOK_EVENT.ID.eq(id)).fetchSingle(WEBHOOK_EVENT.STATUS);
        teamA.awaitProcessed(status);
        teamB.awaitProcessed(status);
        Map<String, Long> byName = new LinkedHashMap<>();
        for (RepositoryRef ref : repositories.ofConnections(List.of(connection))) {
            byName.put(ref.fullName(), ref.id());
        }
        organisations.assignRepository(a.id(), byName.get(course + "/team-a"));
        organisations.assignRepository(b.id(), byName.get(course + "/team-b"));

        Instant assigned = Instant.now();
        Eventually.await("both teams scored with their repositories", Duration.ofSeconds(60), () -> {
            JsonNode teams = compliance(teacher, "").get("teams");
            return teams.size() == 2 && teams.valueStream().allMatch(t -> !t.get("computedAt").isNull()
                    && Instant.parse(t.get("computedAt").asString()).isAfter(assigned));
        });
    }

    private Author student(Organisation org, Team team, String name, String run) {
        Author author = new Author(name + "-" + run, name.substring(0, 1).toUpperCase() + name.substring(1) + " " + run,
                name + "-" + run + "@students.example");
        long account = organisations.createAccount(author.login(), author.name(), author.email());
        organisations.addMember(org.id(), account, OrgRole.DEVELOPER);
        organisations.addTeamMember(team.id(), account);
        organisations.linkIdentity(account, ForgeIdentity.login("gitlab", author.login()));
        organisations.linkIdentity(account, ForgeIdentity.email(author.email()));
        return author;
    }

    /** An API token for the account, stored the way tokens are: only its SHA-256. */
    private String token(long account) {
        String token = "flp_" + UUID.randomUUID().toString().replace("-", "");
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
            db.insertInto(API_TOKEN).set(API_TOKEN.ACCOUNT_ID, account).set(API_TOKEN.NAME, "test")
                    .set(API_TOKEN.TOKEN_HASH, hash).set(API_TOKEN.SCOPES, "read,write")
                    .set(API_TOKEN.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC)).execute();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return token;
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
        assertThat(byKind.keySet()).containsExactlyInAnyOrder("instant_issues", "self_merge");
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

    private HttpResponse<String> put(String token, String body) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/orgs/" + course + "/compliance/weights"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
