package dev.forgeline.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@ForgelineTest
@TestPropertySource(properties = {AnalyticsTests.ADMIN, AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB,
        AnalyticsTests.SNAPSHOTS_KEPT_30_DAYS})
class DeploymentSourcesTest {

    static final String ADMIN_TOKEN = AnalyticsTests.ADMIN_TOKEN;

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @LocalServerPort int port;

    @Test
    void productionDeploymentsComeFromDeploymentEventsOfBothForgesAndFromConfiguredPipelines() {
        TestHttp admin = new TestHttp(port, ADMIN_TOKEN);
        String suffix = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        String secret = "secret-" + UUID.randomUUID();
        long hub = json.readTree(admin.post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"d" + suffix + "\",\"secret\":\"" + secret + "\"}").body()).get("id").asLong();
        long lab = json.readTree(admin.post("/api/v1/connections",
                "{\"provider\":\"gitlab\",\"name\":\"d" + suffix + "\",\"secret\":\"" + secret + "\"}").body()).get("id").asLong();
        Organisation org = organisations.create("deploys-" + suffix, "Deploys", Organisation.Kind.TEAM);
        organisations.assignConnection(org.id(), hub);
        organisations.assignConnection(org.id(), lab);
        long forgeId = 400_000_000L + Long.parseLong(suffix) % 100_000_000L;
        GithubDeliveries repo = new GithubDeliveries(port, hub, secret, json, forgeId);
        GithubDeliveries.sendInTurn(db, hub, List.of(repo.issue(1, List.of("bug"), Instant.parse("2026-06-01T08:00:00Z"),
                Instant.parse("2026-06-01T08:00:00Z"), null)), repo);
        String settings = "/api/v1/orgs/" + org.slug() + "/repositories/" + repo.repositoryId(db) + "/deployment-settings";

        assertThat(TestHttp.send(put(settings, "{\"productionEnvironments\":\"([\"}")).statusCode()).isEqualTo(400);
        assertThat(TestHttp.send(put(settings, "{\"productionEnvironments\":\"^prod$\",\"productionPipelines\":\"^deploy$\"}"))
                .statusCode()).isEqualTo(200);

        GithubDeliveries.sendInTurn(db, hub, List.of(
                repo.workflowRun(1, "deploy", "success", Instant.parse("2026-06-03T09:50:00Z"), Instant.parse("2026-06-03T10:00:00Z")),
                repo.workflowRun(2, "test", "success", Instant.parse("2026-06-03T10:50:00Z"), Instant.parse("2026-06-03T11:00:00Z")),
                repo.workflowRun(3, "deploy", "failure", Instant.parse("2026-06-07T10:50:00Z"), Instant.parse("2026-06-07T11:00:00Z")),
                // "production" is not production for this repository any more; "prod" is
                repo.deploymentStatus(11, "production", "1".repeat(40), "success", Instant.parse("2026-06-04T09:00:00Z"),
                        Instant.parse("2026-06-04T09:05:00Z")),
                repo.deploymentStatus(12, "prod", "2".repeat(40), "success", Instant.parse("2026-06-05T09:00:00Z"),
                        Instant.parse("2026-06-05T09:05:00Z"))), repo);

        ObjectNode gitlab = (ObjectNode) json.readTree(Fixtures.read("gitlab/deployment.json"));
        ((ObjectNode) gitlab.get("project")).put("id", forgeId);
        ObjectNode deployer = (ObjectNode) gitlab.get("user");
        deployer.put("id", 800_000_000L + Long.parseLong(suffix) % 100_000_000L);
        deployer.put("username", "deployer-" + suffix);
        deployer.put("name", "Deployer " + suffix);
        deployer.put("email", "deployer-" + suffix + "@example.com");
        gitlab.put("environment", "production");
        gitlab.put("status", "success");
        gitlab.put("status_changed_at", "2026-06-06 12:00:00 +0200");
        byte[] body = json.writeValueAsBytes(gitlab);
        var sent = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/gitlab/" + lab))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").header("X-Gitlab-Event", "Deployment Hook")
                .header("X-Gitlab-Token", secret).header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(sent.statusCode()).isEqualTo(202);
        GithubDeliveries.sendAll(db, lab, List.of(), List.of(), repo);

        JsonNode dora = json.readTree(admin.get("/api/v1/orgs/" + org.slug() + "/metrics/dora?from=2026-06-01&to=2026-06-28").body());
        // the deploy pipeline on the 3rd, "prod" on the 5th, GitLab's production on the 6th
        assertThat(dora.get("deployments").asInt()).isEqualTo(3);
        assertThat(dora.get("deploymentDays").asInt()).isEqualTo(3);
    }

    private HttpRequest put(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
