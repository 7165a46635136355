package dev.forgeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.forgeline.test.ServerProcess;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Tag("db")
class ServerProcessTest {

    @Test
    void workerProcessWithJsonLogsServesHealthButNotTheApi() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("FORGELINE_LOG_FORMAT", "json"),
                "--roles", "worker,scheduler").awaitReady(Duration.ofSeconds(60))) {
            TestHttp http = new TestHttp(server.port, null);
            assertThat(http.get("/actuator/health/liveness").body()).contains("\"UP\"");
            assertThat(http.get("/actuator/prometheus").statusCode()).isEqualTo(200);
            assertThat(http.get("/api/v1/admin/jobs").statusCode()).as("no web role, no API").isEqualTo(404);

            JsonMapper json = JsonMapper.builder().build();
            String started = server.output().lines().filter(line -> line.contains("Started ForgelineApplication")).findFirst()
                    .orElseThrow(() -> new AssertionError("no start line in:\n" + server.output()));
            JsonNode line = json.readTree(started);
            assertThat(line.get("@timestamp")).isNotNull();
            assertThat(line.get("level").asString()).isEqualTo("INFO");
        }
    }
}
