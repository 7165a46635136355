package dev.forgeline.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What reaches the server before the application does: requests Tomcat refuses, and the security headers on
 * every answer.
 */
@ForgelineTest
class WebEdgeTest {

    @LocalServerPort int port;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void headersOverTheLimitAnswerProblemJsonNotTomcatsHtml() throws IOException {
        String answer = raw("GET /api/v1/orgs HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "x".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertProblem(answer, 400);
    }

    @Test
    void badPercentEncodingAnswersProblemJson() throws IOException {
        assertProblem(raw("GET /api/v1/orgs/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
        assertProblem(raw("GET /orgs/%e0%80 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void pagesApiAndWebhooksAnswerWithAContentSecurityPolicyAndAReferrerPolicy() {
        TestHttp http = new TestHttp(port, null);
        for (String path : new String[] {"/login", "/api/v1/orgs", "/actuator/health", "/js/forgeline.js"}) {
            HttpResponse<String> answer = http.get(path);
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self'").contains("frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).hasValue("strict-origin-when-cross-origin");
        }
        HttpResponse<String> webhook = http.post("/api/v1/webhooks/github/999999", "{}");
        assertThat(webhook.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    private void assertProblem(String answer, int status) {
        String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
        assertThat(head).startsWith("HTTP/1.1 " + status).containsIgnoringCase("Content-Type: application/problem+json");
        JsonNode problem = json.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4).replaceAll("(?s)^[0-9a-f]+\r\n|\r\n0\r\n\r\n$", ""));
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isEqualTo("Bad Request");
        assertThat(answer).doesNotContain("<html").doesNotContain("Tomcat");
    }

    /** Bytes as sent: an HTTP client would refuse to send what Tomcat is being asked to refuse. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
