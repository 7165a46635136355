package dev.forgeline.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.identity.AccountPasswords;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What reaches the server before the application does: requests Tomcat refuses, the security headers on every
 * answer, and forwarded headers, believed from a trusted proxy (here IPv4 loopback) and from no one else (here
 * IPv6 loopback).
 */
@ForgelineTest
@TestPropertySource(properties = "forgeline.web.trusted-proxies=127.0.0.1/8")
class WebEdgeTest {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort int port;
    @Autowired Organisations organisations;
    @Autowired AccountPasswords passwords;

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

    @Test
    void httpsFromATrustedProxyMakesTheSessionCookieSecureAndRedirectsHttps() {
        Browser proxied = new Browser("127.0.0.1");
        HttpResponse<String> toLogin = proxied.get("/");
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(toLogin.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).startsWith("https://"));

        HttpResponse<String> signedIn = proxied.signIn(account());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).startsWith("https://"));
        assertThat(sessionCookie(signedIn)).contains("; Secure");
    }

    @Test
    void forwardedHeadersFromAnUntrustedAddressAreIgnored() {
        Browser spoofing = new Browser("[::1]");
        HttpResponse<String> toLogin = spoofing.get("/");
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(toLogin.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).doesNotStartWith("https"));

        HttpResponse<String> signedIn = spoofing.signIn(account());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).doesNotStartWith("https"));
        assertThat(sessionCookie(signedIn)).doesNotContain("Secure");
    }

    private String account() {
        String username = "proxied-" + UUID.randomUUID().toString().substring(0, 6);
        passwords.setPassword(organisations.createAccount(username, "Proxied", null), "correct horse battery staple");
        return username;
    }

    private static String sessionCookie(HttpResponse<String> answer) {
        return answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("forgeline_session=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + answer.headers().map()));
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

    /** A browser behind a TLS proxy: every request says it came over https. */
    private final class Browser {
        private final String host;
        private final StringBuilder cookies = new StringBuilder();

        Browser(String host) {
            this.host = host;
        }

        HttpResponse<String> get(String path) {
            return send(request(path).GET());
        }

        HttpResponse<String> signIn(String username) {
            Matcher csrf = CSRF_FIELD.matcher(get("/login").body());
            assertThat(csrf.find()).isTrue();
            String form = "username=" + username + "&password=" + URLEncoder.encode("correct horse battery staple", StandardCharsets.UTF_8)
                    + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
            return send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .header("X-Forwarded-Proto", "https");
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.toString());
            }
            return request;
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            HttpResponse<String> answer = TestHttp.send(request.build());
            for (String set : answer.headers().allValues("Set-Cookie")) {
                cookies.append(cookies.isEmpty() ? "" : "; ").append(set, 0, set.indexOf(';'));
            }
            return answer;
        }
    }
}
