package dev.forgeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Readiness follows the database: a server whose PostgreSQL goes away reports readiness DOWN (so a load
 * balancer stops sending it traffic) while staying alive, and comes back when the database does. Always
 * on PostgreSQL, through a proxy that can cut the connection: an embedded database cannot go away.
 */
class DatabaseOutageTest {

    static final String ADMIN = "outage-test-admin-token-0123456789";
    static final String SECRET = "outage-test-webhook-secret";

    @Test
    void readinessIsDownAndWebhooksAre503WhileTheDatabaseIsUnreachable() throws Exception {
        URI postgres = URI.create(TestDatabase.postgresUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(postgres.getHost(), postgres.getPort());
             ServerProcess server = ServerProcess.start(Map.of(
                     "FORGELINE_DB_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + postgres.getPath(),
                     "FORGELINE_DB_USER", TestDatabase.POSTGRES_USER,
                     "FORGELINE_ADMIN_TOKEN", ADMIN)).awaitReady(Duration.ofSeconds(60))) {
            TestHttp http = new TestHttp(server.port, null);
            TestHttp admin = new TestHttp(server.port, ADMIN);
            JsonMapper json = JsonMapper.builder().build();
            long connection = json.readTree(admin.post("/api/v1/connections",
                    "{\"provider\":\"gitea\",\"name\":\"outage\",\"secret\":\"" + SECRET + "\"}").body()).get("id").asLong();
            byte[] body = Fixtures.read("github/ping/payload.json");

            proxy.cut();
            Eventually.await("readiness DOWN", Duration.ofSeconds(30),
                    () -> http.get("/actuator/health/readiness").statusCode() == 503);
            assertThat(http.get("/actuator/health/liveness").statusCode()).as("alive all the same").isEqualTo(200);
            HttpResponse<String> duringOutage = deliver(server.port, connection, body, "during-outage");
            assertThat(duringOutage.statusCode()).as("never 202 for what was not stored").isEqualTo(503);

            proxy.restore();
            Eventually.await("readiness UP again", Duration.ofSeconds(30),
                    () -> http.get("/actuator/health/readiness").statusCode() == 200);
            assertThat(deliver(server.port, connection, body, "after-outage").statusCode()).isEqualTo(202);
            JsonNode stored = json.readTree(admin.get("/api/v1/events?connection=" + connection).body()).get("items");
            assertThat(stored.findValuesAsString("deliveryId")).containsExactly("after-outage");
        }
    }

    private static HttpResponse<String> deliver(int port, long connection, byte[] body, String delivery) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/gitea/" + connection))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Gitea-Event", "ping").header("X-Gitea-Delivery", delivery)
                .header("X-Gitea-Signature", Signing.hmacSha256(SECRET, body)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
