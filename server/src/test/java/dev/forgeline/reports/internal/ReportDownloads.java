package dev.forgeline.reports.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.forgeline.test.Eventually;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Asks for a report over the API, waits while the job makes it (202), and downloads the file. */
final class ReportDownloads {

    private ReportDownloads() {
    }

    static HttpResponse<byte[]> generated(TestHttp as, JsonMapper json, String reports, String body) {
        var requested = as.post(reports, body);
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        JsonNode status = json.readTree(requested.body());
        assertThat(status.get("status").asString()).as("a worker may have picked it up already").isIn("queued", "running", "ready");
        String url = status.get("url").asString();
        AtomicReference<HttpResponse<byte[]>> file = new AtomicReference<>();
        Eventually.await("report " + url + " ready", Duration.ofSeconds(90), () -> {
            HttpResponse<byte[]> answer = as.getBytes(url);
            if (answer.statusCode() == 200 && !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                file.set(answer);
                return true;
            }
            assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            return false;
        });
        return file.get();
    }
}
