package dev.forgeline.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;

/** What reaches the server before the application does: the security headers on every answer. */
@ForgelineTest
class WebEdgeTest {

    @LocalServerPort int port;

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
}
