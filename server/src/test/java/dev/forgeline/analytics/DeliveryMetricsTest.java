package dev.forgeline.analytics;

import static dev.forgeline.schema.Tables.API_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.analytics.GithubDeliveries.Commit;
import dev.forgeline.analytics.GithubDeliveries.Delivery;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One month of a repository, sent shuffled through the real webhook endpoint, and every metric compared with
 * figures worked out by hand (in the comments). docs/metrics.md defines each one.
 */
@ForgelineTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {AnalyticsTests.ADMIN, AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB,
        AnalyticsTests.SNAPSHOTS_KEPT_30_DAYS})
class DeliveryMetricsTest {

    static final String ADMIN_TOKEN = AnalyticsTests.ADMIN_TOKEN;
    static final String WINDOW = "from=2026-06-01&to=2026-06-28";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @LocalServerPort int port;

    TestHttp admin;
    String org;
    String ana_;
    String ben_;
    String cai_;
    long ana;
    long ben;
    String anaToken;
    String outsiderToken;

    static Instant at(String time) {
        return Instant.parse("2026-06-" + time + ":00Z");
    }

    @BeforeAll
    void history() {
        admin = new TestHttp(port, ADMIN_TOKEN);
        String suffix = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        // Forge logins are linked to one account each, across organisations: every run has its own.
        ana_ = "ana-" + suffix;
        ben_ = "ben-" + suffix;
        cai_ = "cai-" + suffix;
        String secret = "secret-" + UUID.randomUUID();
        long connection = json.readTree(admin.post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"m" + suffix + "\",\"secret\":\"" + secret + "\"}").body()).get("id").asLong();
        GithubDeliveries repo = new GithubDeliveries(port, connection, secret, json, 600_000_000L + Long.parseLong(suffix) % 100_000_000L);

        List<Delivery> d = new ArrayList<>();
        // PR 1 by ana: commit 08:00, opened 10:00, ben comments at 09:00 (before it opened: pickup 0), ben reviews
        // at 14:00, ana merges on the 2nd at 10:00, production deployment finishes at 12:00.
        d.add(repo.push("f1", List.of(new Commit("a".repeat(40), ana_, at("01T08:00")))));
        d.add(repo.pullRequest("opened", 1, ana_, "open", at("01T10:00"), at("01T10:00"), null, "f1", ana_, 100, 20));
        d.add(repo.comment(9001, 1, ben_, at("01T09:00")));
        d.add(repo.review(9002, 1, ana_, at("01T10:00"), "f1", ben_, at("01T14:00")));
        d.add(repo.pullRequest("closed", 1, ana_, "merged", at("01T10:00"), at("02T10:00"), at("02T10:00"), "f1", ana_, 100, 20));
        d.add(repo.deploymentStatus(501, "production", "1".repeat(40), "in_progress", at("02T11:30"), at("02T11:30")));
        d.add(repo.deploymentStatus(501, "production", "1".repeat(40), "success", at("02T11:30"), at("02T12:00")));
        // Not production deployments: staging, and a failed production one.
        d.add(repo.deploymentStatus(502, "staging", "2".repeat(40), "success", at("04T09:00"), at("04T09:10")));
        d.add(repo.deploymentStatus(503, "production", "3".repeat(40), "failure", at("05T09:00"), at("05T09:10")));
        // PR 3 by ana: no commits seen, cai comments 2 h after it opened, closed without merging.
        d.add(repo.pullRequest("opened", 3, ana_, "open", at("08T10:00"), at("08T10:00"), null, "f3", ana_, 5, 5));
        d.add(repo.comment(9003, 3, cai_, at("08T12:00")));
        d.add(repo.pullRequest("closed", 3, ana_, "closed", at("08T10:00"), at("09T10:00"), at("09T10:00"), "f3", ana_, 5, 5));
        // A production deployment that carries no pull request; an incident the next day is blamed on it.
        d.add(repo.deploymentStatus(504, "production", "4".repeat(40), "success", at("10T09:50"), at("10T10:00")));
        d.add(repo.issue(51, List.of("incident"), at("11T10:00"), at("11T10:00"), null));
        d.add(repo.issue(51, List.of("incident"), at("11T10:00"), at("11T16:00"), at("11T16:00")));
        // An incident before any deployment (blamed on none), and a bug that is no incident.
        d.add(repo.issue(50, List.of("incident"), at("01T06:00"), at("01T07:00"), at("01T07:00")));
        d.add(repo.issue(52, List.of("bug"), at("12T06:00"), at("12T06:00"), null));
        // PR 2 by ben: commit 09:00, opened 10:00, reviewed only by ben, merged by ben at 16:00, never deployed.
        d.add(repo.push("f2", List.of(new Commit("b".repeat(40), ben_, at("20T09:00")))));
        d.add(repo.pullRequest("opened", 2, ben_, "open", at("20T10:00"), at("20T10:00"), null, "f2", ben_, 10, 5));
        d.add(repo.review(9004, 2, ben_, at("20T10:00"), "f2", ben_, at("20T11:00")));
        d.add(repo.pullRequest("closed", 2, ben_, "merged", at("20T10:00"), at("20T16:00"), at("20T16:00"), "f2", ben_, 10, 5));
        Collections.shuffle(d, new Random(5));
        d.add(d.get(3)); // and one delivery twice
        GithubDeliveries.sendInTurn(db, connection, d, repo);

        Organisation organisation = organisations.create("acme-" + suffix, "Acme", Organisation.Kind.TEAM);
        org = organisation.slug();
        organisations.assignConnection(organisation.id(), connection);
        ana = person(organisation.id(), "ana" + suffix, ana_, OrgRole.DEVELOPER);
        ben = person(organisation.id(), "ben" + suffix, ben_, OrgRole.DEVELOPER);
        long cai = person(organisation.id(), "cai" + suffix, cai_, OrgRole.DEVELOPER);
        var team = organisations.createTeam(organisation.id(), "core", "Core");
        organisations.addTeamMember(team.id(), ana);
        organisations.addTeamMember(team.id(), ben);
        organisations.assignRepository(team.id(), repo.repositoryId(db));
        anaToken = token(ana);
        outsiderToken = token(organisations.createAccount("out" + suffix, "Outsider", null));
        assertThat(cai).isPositive();
    }

    private long person(long organisation, String username, String login, OrgRole role) {
        long account = organisations.createAccount(username, username, null);
        organisations.addMember(organisation, account, role);
        organisations.linkIdentity(account, ForgeIdentity.login("github", login));
        return account;
    }

    private String token(long account) {
        String token = "metrics-test-" + UUID.randomUUID();
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
            db.insertInto(API_TOKEN).set(API_TOKEN.ACCOUNT_ID, account).set(API_TOKEN.NAME, "test").set(API_TOKEN.TOKEN_HASH, hash)
                    .set(API_TOKEN.SCOPES, "read").set(API_TOKEN.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .set(API_TOKEN.EXPIRES_AT, OffsetDateTime.now(ZoneOffset.UTC).plusDays(1)).execute();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return token;
    }

    private JsonNode get(TestHttp as, String path) {
        var answer = as.get("/api/v1/orgs/" + org + "/metrics/" + path);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    @Test
    void cycleTimeFollowsDevLakeWithNegativeSpansClampedAndMissingPartsLeftOut() {
        JsonNode c = get(admin, "cycle-time?" + WINDOW);
        assertThat(c.get("mergedPullRequests").asInt()).isEqualTo(2);
        // coding: PR 1 2 h, PR 2 1 h. Pickup and review: only PR 1 (PR 2 was reviewed by its author only); its
        // first answer came before it opened, so pickup is 0 h and review 24 h. Deploy: PR 1 only, 2 h.
        assertThat(c.at("/coding/medianHours").asDouble()).isEqualTo(1.5);
        assertThat(c.at("/pickup/samples").asInt()).isEqualTo(1);
        assertThat(c.at("/pickup/medianHours").asDouble()).isEqualTo(0.0);
        assertThat(c.at("/review/medianHours").asDouble()).isEqualTo(24.0);
        assertThat(c.at("/deploy/samples").asInt()).isEqualTo(1);
        assertThat(c.at("/deploy/medianHours").asDouble()).isEqualTo(2.0);
        // cycle: PR 1 first commit → deployed = 28 h; PR 2 (never deployed) first commit → merge = 7 h.
        assertThat(c.at("/cycle/medianHours").asDouble()).isEqualTo(17.5);
        assertThat(c.at("/timeToMerge/medianHours").asDouble()).isEqualTo(15.0);
    }

    @Test
    void summaryCountsPullRequestsReviewsAndSelfMerges() {
        JsonNode s = get(admin, "summary?" + WINDOW);
        assertThat(s.get("prsOpened").asInt()).isEqualTo(3);
        assertThat(s.get("prsMerged").asInt()).isEqualTo(2);
        assertThat(s.get("prsClosedUnmerged").asInt()).isEqualTo(1);
        assertThat(s.get("avgTimeToMergeHours").asDouble()).isEqualTo(15.0);
        assertThat(s.get("avgPrSizeLines").asDouble()).isEqualTo(67.5);
        assertThat(s.get("reviewsGiven").asInt()).isEqualTo(1); // ben's own review of PR 2 is not one
        assertThat(s.get("firstReviewByOthersRate").asDouble()).isEqualTo(0.5);
        assertThat(s.get("selfMergesWithoutReview").asInt()).isEqualTo(1);
        assertThat(s.get("commits").asInt()).isEqualTo(2);
        assertThat(s.get("comments").asInt()).isEqualTo(2);
        assertThat(s.get("deployments").asInt()).isEqualTo(2);

        JsonNode mine = get(new TestHttp(port, anaToken), "summary?person=" + ana + "&" + WINDOW);
        assertThat(mine.get("prsOpened").asInt()).isEqualTo(2);
        assertThat(mine.get("prsMerged").asInt()).isEqualTo(1);
        assertThat(mine.get("prsClosedUnmerged").asInt()).isEqualTo(1);
        assertThat(mine.get("avgTimeToMergeHours").asDouble()).isEqualTo(24.0);
        assertThat(mine.get("reviewsReceived").asInt()).isEqualTo(1);
        assertThat(mine.get("reviewsGiven").asInt()).isEqualTo(0);
        assertThat(mine.get("commits").asInt()).isEqualTo(1);
    }

    @Test
    void summaryOfAWindowThatCutsWeeksCountsItsDaysBeforeAndAfterTheWholeWeeks() {
        // Friday the 5th to Saturday the 20th: the whole week of the 8th, and days on each side of it.
        JsonNode s = get(admin, "summary?from=2026-06-05&to=2026-06-20");
        assertThat(s.get("prsOpened").asInt()).isEqualTo(2); // PR 3 on the 8th, PR 2 on the 20th
        assertThat(s.get("prsMerged").asInt()).isEqualTo(1); // PR 2; PR 1 merged on the 2nd
        assertThat(s.get("prsClosedUnmerged").asInt()).isEqualTo(1);
        assertThat(s.get("commits").asInt()).isEqualTo(1);
        assertThat(s.get("comments").asInt()).isEqualTo(1); // cai's on the 8th; ben's was on the 1st
        assertThat(s.get("deployments").asInt()).isEqualTo(1); // the 10th; the 2nd is before the window

        // Tuesday the 2nd to Saturday the 20th: weeks of the 8th and the 15th whole, PR 1's merge on an edge day.
        JsonNode edges = get(admin, "summary?from=2026-06-02&to=2026-06-20");
        assertThat(edges.get("prsMerged").asInt()).isEqualTo(2);
        assertThat(edges.get("avgTimeToMergeHours").asDouble()).isEqualTo(15.0);
        assertThat(edges.get("deployments").asInt()).isEqualTo(2);
        JsonNode hers = get(new TestHttp(port, anaToken), "summary?person=" + ana + "&from=2026-06-02&to=2026-06-20");
        assertThat(hers.get("prsOpened").asInt()).isEqualTo(1);
        assertThat(hers.get("prsMerged").asInt()).isEqualTo(1);
        assertThat(hers.get("commits").asInt()).isZero(); // on the 1st

        // Tuesday to Thursday: no whole week at all.
        JsonNode days = get(admin, "summary?from=2026-06-09&to=2026-06-11");
        assertThat(days.get("prsOpened").asInt()).isZero();
        assertThat(days.get("prsClosedUnmerged").asInt()).isEqualTo(1);
        assertThat(days.get("deployments").asInt()).isEqualTo(1);
    }

    @Test
    void doraCountsProductionDeploymentDaysAndBlamesIncidentsOnTheLatestDeploymentBefore() {
        JsonNode d = get(admin, "dora?" + WINDOW);
        assertThat(d.get("deployments").asInt()).isEqualTo(2); // staging and the failed one do not count
        assertThat(d.get("deploymentDays").asInt()).isEqualTo(2);
        // weeks back from the 28th: 0, 0, 1, 1 deployment days → median 0.5 a week; 2 in the month → medium
        assertThat(d.get("medianDeploymentDaysPerWeek").asDouble()).isEqualTo(0.5);
        assertThat(d.get("frequencyBand").asString()).isEqualTo("MEDIUM");
        assertThat(d.get("leadTimeForChangesHours").asDouble()).isEqualTo(28.0);
        assertThat(d.get("deployedPullRequests").asInt()).isEqualTo(1);
        // incident 51 → deployment of the 10th; incident 50 came before any deployment and is blamed on none
        assertThat(d.get("changeFailureRate").asDouble()).isEqualTo(0.5);
        assertThat(d.get("failedDeploymentRecoveryHours").asDouble()).isEqualTo(30.0);
        assertThat(d.get("incidents").asInt()).isEqualTo(2);
    }

    @Test
    void dailyRowsArePerDayOfThePerson() {
        JsonNode days = get(new TestHttp(port, anaToken), "daily?person=" + ana + "&" + WINDOW);
        assertThat(days.findValuesAsString("day")).containsExactly("2026-06-01", "2026-06-02", "2026-06-08");
        assertThat(days.get(0).get("prsOpened").asInt()).isEqualTo(1);
        assertThat(days.get(0).get("commits").asInt()).isEqualTo(1);
        assertThat(days.get(1).get("prsMerged").asInt()).isEqualTo(1);
        assertThat(days.get(1).get("avgMergeHours").asDouble()).isEqualTo(24.0);
    }

    @Test
    void reliabilityScoreShowsItsFourComponents() {
        JsonNode r = get(admin, "reliability?person=" + ben + "&to=2026-06-28");
        // ben: merged in 1 of 8 weeks; gave 1 review against a team average of 0.5; median merge 6 h;
        // weekly activity 0,3,0,2,0,0,0,0 has a coefficient of variation above 1.
        assertThat(r.at("/score/mergeConsistency").asDouble()).isEqualTo(0.125);
        assertThat(r.at("/score/reviewParticipation").asDouble()).isEqualTo(1.0);
        assertThat(r.at("/score/mergeTimeEfficiency").asDouble()).isEqualTo(1.0);
        assertThat(r.at("/score/activityStability").asDouble()).isEqualTo(0.0);
        assertThat(r.at("/score/score").asDouble()).isEqualTo(48.75);
        assertThat(r.at("/window/from").asString()).isEqualTo("2026-05-04");
    }

    @Test
    void aDeveloperReadsAggregatesAndOnlyTheirOwnDetailOthersGet404() {
        TestHttp anaHttp = new TestHttp(port, anaToken);
        String base = "/api/v1/orgs/" + org + "/metrics/";
        assertThat(anaHttp.get(base + "summary?person=" + ana).statusCode()).isEqualTo(200);
        assertThat(anaHttp.get(base + "summary?team=core").statusCode()).isEqualTo(200);
        assertThat(anaHttp.get(base + "summary?person=" + ben).statusCode()).isEqualTo(404);
        assertThat(anaHttp.get(base + "summary").statusCode()).as("the organisation's aggregates").isEqualTo(200);
        JsonNode reliability = json.readTree(anaHttp.get(base + "reliability").body());
        assertThat(reliability.get("people").findValues("accountId")).extracting(JsonNode::asLong)
                .as("each person's score is theirs alone").containsExactly(ana);
        assertThat(anaHttp.get(base + "summary?team=nope").statusCode()).isEqualTo(404);
        TestHttp outsider = new TestHttp(port, outsiderToken);
        assertThat(outsider.get(base + "summary").statusCode()).isEqualTo(404);
        assertThat(outsider.get("/api/v1/orgs/" + org + "/alerts").statusCode()).isEqualTo(404);
        assertThat(admin.get(base + "summary?repository=987654321").statusCode()).isEqualTo(404);
    }

    @Test
    void badFiltersAre400WithOneLine() {
        String base = "/api/v1/orgs/" + org + "/metrics/";
        var badDate = admin.get(base + "summary?from=yesterday");
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badDate.body()).get("detail").asString()).isEqualTo("from must be a date like 2026-11-01");
        assertThat(admin.get(base + "summary?from=2026-06-10&to=2026-06-01").statusCode()).isEqualTo(400);
        assertThat(admin.get(base + "dora?person=" + ana).statusCode()).isEqualTo(400);
        assertThat(admin.get(base + "daily?person=" + ana + "&team=core").statusCode()).isEqualTo(400);
        assertThat(admin.get(base + "daily?from=2020-01-01&to=2026-01-01").statusCode()).isEqualTo(400);
    }
}
