package dev.forgeline.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import dev.forgeline.analytics.AlertsChanged;
import dev.forgeline.analytics.AnalyticsTests;
import dev.forgeline.analytics.GithubDeliveries;
import dev.forgeline.analytics.GithubDeliveries.Commit;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ForgelineTest
@TestPropertySource(properties = {AnalyticsTests.ADMIN, AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB,
        AnalyticsTests.SNAPSHOTS_KEPT_30_DAYS})
@RecordApplicationEvents
class AlertEvaluationTest {

    static final String ADMIN_TOKEN = AnalyticsTests.ADMIN_TOKEN;

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @Autowired AlertEvaluation alerts;
    @Autowired ApplicationEvents events;
    @LocalServerPort int port;

    @Test
    void alertsOpenWithTheirEvidenceAndResolveWhenTheConditionClears() {
        TestHttp admin = new TestHttp(port, ADMIN_TOKEN);
        String suffix = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        String login = "ana-" + suffix;
        String secret = "secret-" + UUID.randomUUID();
        long connection = json.readTree(admin.post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"a" + suffix + "\",\"secret\":\"" + secret + "\"}").body()).get("id").asLong();
        GithubDeliveries repo = new GithubDeliveries(port, connection, secret, json, 500_000_000L + Long.parseLong(suffix) % 100_000_000L);
        Organisation org = organisations.create("alerts-" + suffix, "Alerts", Organisation.Kind.TEAM);
        organisations.assignConnection(org.id(), connection);
        long ana = organisations.createAccount("ana-" + suffix, "Ana", null);
        organisations.addMember(org.id(), ana, OrgRole.DEVELOPER);
        organisations.linkIdentity(ana, ForgeIdentity.login("github", login));

        // Monday 1 June: ana commits and opens a PR that nobody reviews.
        GithubDeliveries.sendInTurn(db, connection, List.of(
                repo.push("f1", List.of(new Commit("c".repeat(40), login, Instant.parse("2026-06-01T09:00:00Z")))),
                repo.pullRequest("opened", 1, login, "open", Instant.parse("2026-06-01T10:00:00Z"),
                        Instant.parse("2026-06-01T10:00:00Z"), null, "f1", login, 10, 1)), repo);

        alerts.evaluate(org.id(), Instant.parse("2026-06-02T12:00:00Z"));
        assertThat(open(admin, org.slug())).containsExactly("review-wait pull-request:" + repo.repositoryId(db) + "#1");
        assertThat(events.stream(AlertsChanged.class)).as("open pages are told").containsExactly(new AlertsChanged(org.id(), 1, 0,
                Set.of("pull-request:" + repo.repositoryId(db) + "#1")));

        // Friday: four working days without anything from ana.
        alerts.evaluate(org.id(), Instant.parse("2026-06-05T12:00:00Z"));
        assertThat(open(admin, org.slug())).containsExactlyInAnyOrder("review-wait pull-request:" + repo.repositoryId(db) + "#1",
                "inactivity person:" + ana);
        JsonNode all = json.readTree(admin.get("/api/v1/orgs/" + org.slug() + "/alerts").body());
        assertThat(all.findValuesAsString("evidence")).anyMatch(e -> e.contains("for 4 working days (last on 2026-06-01)"));

        // ben reviews, ana commits again: both conditions clear and the alerts resolve themselves.
        GithubDeliveries.sendInTurn(db, connection, List.of(
                repo.review(77, 1, login, Instant.parse("2026-06-01T10:00:00Z"), "f1", "ben", Instant.parse("2026-06-05T13:00:00Z")),
                repo.push("f1", List.of(new Commit("d".repeat(40), login, Instant.parse("2026-06-05T13:30:00Z"))))), repo);
        alerts.evaluate(org.id(), Instant.parse("2026-06-05T14:00:00Z"));
        assertThat(open(admin, org.slug())).isEmpty();
        JsonNode resolved = json.readTree(admin.get("/api/v1/orgs/" + org.slug() + "/alerts?status=all").body());
        assertThat(resolved.size()).isEqualTo(2);
        assertThat(resolved.findValuesAsString("resolvedAt")).hasSize(2);
        assertThat(events.stream(AlertsChanged.class)).last().isEqualTo(new AlertsChanged(org.id(), 0, 2,
                Set.of("pull-request:" + repo.repositoryId(db) + "#1", "person:" + ana)));
    }

    private List<String> open(TestHttp as, String org) {
        var answer = as.get("/api/v1/orgs/" + org + "/alerts");
        assertThat(answer.statusCode()).isEqualTo(200);
        List<String> out = new java.util.ArrayList<>();
        json.readTree(answer.body()).forEach(a -> out.add(a.get("kind").asString() + " " + a.get("subject").asString()));
        return out;
    }
}
