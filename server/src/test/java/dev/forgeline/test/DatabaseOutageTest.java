package dev.forgeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a server does while its PostgreSQL is away. Every request that needs the database answers 503 with
 * Retry-After, quickly, so that forges and clients retry; readiness goes DOWN (a load balancer stops sending
 * traffic) while the process stays alive; and it all comes back with the database. Always on PostgreSQL: an
 * embedded database cannot go away.
 */
class DatabaseOutageTest {

    static final String ADMIN = "outage-test-admin-token-0123456789";
    static final String SECRET = "outage-test-webhook-secret";
    /** Each answer during the outage comes within this: well under a forge's 10 s delivery timeout. */
    static final Duration QUICK = Duration.ofSeconds(3);

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void everyRequestNeedingAStoppedPostgresAnswersQuickly503WithRetryAfterAndTheServerRecovers() throws Exception {
        try (PostgresCluster postgres = PostgresCluster.start();
             ServerProcess server = ServerProcess.start(Map.of(
                     "FORGELINE_DB_URL", postgres.jdbcUrl(),
                     "FORGELINE_DB_USER", "postgres",
                     "FORGELINE_ADMIN_TOKEN", ADMIN)).awaitReady(Duration.ofSeconds(180))) {
            TestHttp http = new TestHttp(server.port, null);
            TestHttp admin = new TestHttp(server.port, ADMIN);
            long connection = json.readTree(admin.post("/api/v1/connections",
                    "{\"provider\":\"gitea\",\"name\":\"outage\",\"secret\":\"" + SECRET + "\"}").body()).get("id").asLong();
            assertThat(admin.post("/api/v1/orgs", "{\"slug\":\"outage\",\"name\":\"Outage\",\"kind\":\"team\"}").statusCode())
                    .isEqualTo(201);
            byte[] body = Fixtures.read("github/ping/payload.json");
            assertThat(deliver(server.port, connection, body, "before-outage").statusCode()).isEqualTo(202);

            int logBefore = server.output().length();
            postgres.stopFast();
            unavailable("the first webhook after the stop", () -> deliver(server.port, connection, body, "first-of-outage"));
            Eventually.await("the outage logged", Duration.ofSeconds(10),
                    () -> server.output().substring(logBefore).contains("the database is not reachable"));
            int logOutage = server.output().length();
            for (int i = 0; i < 5; i++) {
                String delivery = "during-outage-" + i;
                unavailable("webhook " + i, () -> deliver(server.port, connection, body, delivery));
            }
            for (String route : new String[] {"/api/v1/events", "/api/v1/orgs/outage", "/api/v1/orgs/outage/teams"}) {
                unavailable("GET " + route, () -> admin.get(route));
            }
            HttpResponse<String> page = timed("the dashboard", () -> admin.get("/orgs/outage"));
            assertThat(page.statusCode()).as("a page that needs the database").isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).isPresent();
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
            Eventually.await("readiness DOWN", Duration.ofSeconds(30),
                    () -> http.get("/actuator/health/readiness").statusCode() == 503);
            assertThat(http.get("/actuator/health/liveness").statusCode()).as("alive all the same").isEqualTo(200);
            assertThat(server.output().substring(logBefore)).as("no request failed with a 500").doesNotContain("Servlet.service()")
                    .as("one warning for the outage").containsOnlyOnce("the database is not reachable (");
            assertThat(server.output().substring(logOutage)).as("no stack trace per request once the outage is known")
                    .doesNotContain("\tat ");

            postgres.startAgain();
            Eventually.await("readiness UP again", Duration.ofSeconds(30),
                    () -> http.get("/actuator/health/readiness").statusCode() == 200);
            assertThat(deliver(server.port, connection, body, "after-outage").statusCode()).isEqualTo(202);
            JsonNode stored = json.readTree(admin.get("/api/v1/events?connection=" + connection).body()).get("items");
            assertThat(stored.findValuesAsString("deliveryId")).containsExactlyInAnyOrder("before-outage", "after-outage");
            assertThat(server.output().substring(logBefore)).containsOnlyOnce("the database is reachable again");
        }
    }

    /** The problem answer every API client and forge gets while the database is away. */
    private void unavailable(String what, Supplier<HttpResponse<String>> request) {
        HttpResponse<String> answer = timed(what, request);
        assertThat(answer.statusCode()).as(what + ": " + answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).as(what).isPresent();
        assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
        assertThat(json.readTree(answer.body()).get("status").asInt()).isEqualTo(503);
    }

    private static HttpResponse<String> timed(String what, Supplier<HttpResponse<String>> request) {
        long start = System.nanoTime();
        HttpResponse<String> answer = request.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what + " answered within " + QUICK).isLessThan(QUICK);
        return answer;
    }

    private static HttpResponse<String> deliver(int port, long connection, byte[] body, String delivery) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/gitea/" + connection))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Gitea-Event", "ping").header("X-Gitea-Delivery", delivery)
                .header("X-Gitea-Signature", Signing.hmacSha256(SECRET, body)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
