package dev.forgeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.forgeline.test.Eventually;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ServerProcess;
import dev.forgeline.test.Signing;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * SIGKILL in the middle of a burst of deliveries, then a restart on the same data: every delivery that was
 * answered 202 is processed, and none has an effect twice.
 */
@Tag("db")
class CrashDuringBurstTest {

    static final String ADMIN = "crash-test-admin-token-0123456789";
    static final String SECRET = "crash-test-webhook-secret";
    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void everyAcknowledgedDeliveryIsProcessedOnceAfterAKill() throws Exception {
        Path home = Files.createTempDirectory("forgeline-crash");
        // A short heartbeat: jobs the killed worker held run again after seconds, not a minute.
        Map<String, String> env = Map.of("FORGELINE_ADMIN_TOKEN", ADMIN, "FORGELINE_JOBS_HEARTBEATINTERVAL", "1s");
        long repositoryForgeId = 700_000_000L + System.nanoTime() % 1_000_000;
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        long connection;

        ServerProcess first = ServerProcess.start(home, env).awaitReady(Duration.ofSeconds(60));
        try {
            TestHttp admin = new TestHttp(first.port, ADMIN);
            connection = json.readTree(admin.post("/api/v1/connections",
                    "{\"provider\":\"github\",\"name\":\"crash\",\"secret\":\"" + SECRET + "\"}").body()).get("id").asLong();
            ObjectNode template = (ObjectNode) json.readTree(Fixtures.read("github/pull_request/opened.payload.json"));
            ((ObjectNode) template.get("repository")).put("id", repositoryForgeId);

            AtomicInteger sent = new AtomicInteger();
            Semaphore inFlight = new Semaphore(16);
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int number = 1; number <= 2000; number++) {
                    inFlight.acquire();
                    int pr = number;
                    senders.submit(() -> {
                        try {
                            ObjectNode payload = template.deepCopy();
                            ((ObjectNode) payload.get("pull_request")).put("number", pr);
                            byte[] body = json.writeValueAsBytes(payload);
                            HttpResponse<String> answer = TestHttp.send(HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + first.port + "/api/v1/webhooks/github/" + connection))
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json").header("X-GitHub-Event", "pull_request")
                                    .header("X-GitHub-Delivery", "crash-" + pr)
                                    .header("X-Hub-Signature-256", "sha256=" + Signing.hmacSha256(SECRET, body))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
                            if (answer.statusCode() == 202) {
                                acknowledged.add(pr);
                            }
                        } catch (RuntimeException connectionCut) {
                            // The server died under this request: no 202, so the forge would retry it.
                        } finally {
                            sent.incrementAndGet();
                            inFlight.release();
                        }
                    });
                    if (pr == 600) {
                        first.kill(); // mid-burst: requests in flight, jobs queued and running
                    }
                }
            }
        } finally {
            first.kill();
        }
        assertThat(acknowledged).as("deliveries acknowledged before the kill").isNotEmpty();

        try (ServerProcess second = ServerProcess.start(home, env).awaitReady(Duration.ofSeconds(60))) {
            TestHttp admin = new TestHttp(second.port, ADMIN);
            Eventually.await("every acknowledged delivery processed", Duration.ofSeconds(120), () -> {
                JsonNode pending = json.readTree(admin.get("/api/v1/events?connection=" + connection + "&status=received&limit=1").body());
                return pending.get("items").isEmpty();
            });
            long repository = json.readTree(admin.get("/api/v1/repositories").body()).valueStream()
                    .filter(r -> r.get("forgeId").asString().equals(Long.toString(repositoryForgeId)))
                    .map(r -> r.get("id").asLong()).findFirst().orElseThrow();
            Set<Integer> stored = ConcurrentHashMap.newKeySet();
            for (int offset = 0; ; offset += 500) {
                JsonNode page = json.readTree(admin.get("/api/v1/repositories/" + repository + "/pull-requests?limit=500&offset=" + offset).body());
                page.forEach(pr -> {
                    assertThat(pr.get("transitions").size()).as("one opened transition, not two").isEqualTo(1);
                    stored.add(pr.get("number").asInt());
                });
                if (page.size() < 500) {
                    break;
                }
            }
            assertThat(stored).as("every 202 is in the model").containsAll(acknowledged);
            JsonNode failed = json.readTree(admin.get("/api/v1/events?connection=" + connection + "&status=failed").body());
            assertThat(failed.get("items").isEmpty()).isTrue();
        }
    }
}
