package dev.forgeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.forgeline.test.Eventually;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ServerProcess;
import dev.forgeline.test.Signing;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar as users run it (ahead-of-time bean definitions on): it starts, takes a signed webhook and
 * processes it. Runs after packaging (Failsafe), on the same database as the rest of the run.
 */
@Tag("db")
class PackagedServerIT {

    static final String ADMIN = "packaged-it-admin-token-0123456789";
    static final String SECRET = "packaged-it-webhook-secret";

    @Test
    void packagedServerTakesAndProcessesAWebhook() throws Exception {
        Path jar = Path.of("target", "forgeline-exec.jar");
        assertThat(jar).exists();
        try (ServerProcess server = ServerProcess.startPackaged(jar, Map.of("FORGELINE_ADMIN_TOKEN", ADMIN))
                .awaitReady(Duration.ofSeconds(60))) {
            TestHttp admin = new TestHttp(server.port, ADMIN);
            JsonMapper json = JsonMapper.builder().build();
            long connection = json.readTree(admin.post("/api/v1/connections",
                    "{\"provider\":\"github\",\"name\":\"packaged\",\"secret\":\"" + SECRET + "\"}").body()).get("id").asLong();
            byte[] body = Fixtures.read("github/pull_request/opened.payload.json");
            var answer = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port
                            + "/api/v1/webhooks/github/" + connection))
                    .header("Content-Type", "application/json").header("X-GitHub-Event", "pull_request")
                    .header("X-GitHub-Delivery", "packaged-1").header("X-Hub-Signature-256", "sha256=" + Signing.hmacSha256(SECRET, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            Eventually.await("the delivery processed", Duration.ofSeconds(30), () ->
                    admin.get("/api/v1/events?connection=" + connection + "&status=processed").body().contains("packaged-1"));
            assertThat(admin.get("/api/v1/admin/jobs").statusCode()).isEqualTo(200);
        }
    }
}
