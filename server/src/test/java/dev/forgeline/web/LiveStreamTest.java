package dev.forgeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.Signing;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ForgelineTest
@TestPropertySource(properties = "forgeline.admin-token=" + LiveStreamTest.ADMIN_TOKEN)
class LiveStreamTest {

    static final String ADMIN_TOKEN = "live-stream-test-admin-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired JsonMapper json;
    @LocalServerPort int port;

    long connection;
    String secret;

    /** One server-sent event as the browser sees it. */
    record Event(String id, String name, String data) {
    }

    /** An open stream: its events arrive on a queue; closing it hangs up like a browser that went away. */
    record Stream_(Stream<String> lines, BlockingQueue<Event> events) implements AutoCloseable {
        Event next(String name) throws InterruptedException {
            for (Event e; (e = events.poll(15, TimeUnit.SECONDS)) != null; ) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
            throw new AssertionError("no '" + name + "' event within 15 s");
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    @BeforeEach
    void connect() {
        var created = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/connections", "{\"provider\":\"github\",\"name\":\"live\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json.readTree(created.body());
        connection = body.get("id").asLong();
        secret = body.get("secret").asString();
    }

    private Stream_ open(String page, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/live/" + page))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            Map<String, String> fields = new HashMap<>();
            try {
                answer.body().forEach(line -> {
                    if (line.isEmpty()) {
                        if (fields.containsKey("event")) {
                            events.add(new Event(fields.get("id"), fields.get("event"), fields.get("data")));
                        }
                        fields.clear();
                    } else if (!line.startsWith(":") && line.contains(":")) {
                        fields.merge(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1), (a, b) -> a + "\n" + b);
                    }
                });
            } catch (RuntimeException closed) {
                // The test hung up.
            }
        });
        return new Stream_(answer.body(), events);
    }

    private long deliver() {
        byte[] body = Fixtures.read("github/push/payload.json");
        var answer = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/github/" + connection))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + Signing.hmacSha256(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(answer.statusCode()).isEqualTo(202);
        return json.readTree(answer.body()).get("eventId").asLong();
    }

    @Test
    void aReconnectingStreamGetsExactlyTheDeliveriesItMissedAfterItsLastEventId() throws Exception {
        String lastSeen;
        try (Stream_ first = open("connections", ADMIN_TOKEN, null)) {
            first.next("ready");
            long eventId = deliver();
            Event seen = first.next("delivery");
            assertThat(json.readTree(seen.data()).get("eventId").asLong()).isEqualTo(eventId);
            lastSeen = seen.id();
        }
        List<Long> missed = new ArrayList<>(List.of(deliver(), deliver()));

        try (Stream_ again = open("connections", ADMIN_TOKEN, lastSeen)) {
            List<Long> replayed = new ArrayList<>();
            Event one = again.next("delivery");
            Event two = again.next("delivery");
            replayed.add(json.readTree(one.data()).get("eventId").asLong());
            replayed.add(json.readTree(two.data()).get("eventId").asLong());
            assertThat(replayed).isEqualTo(missed);
            assertThat(Long.parseLong(two.id())).isGreaterThan(Long.parseLong(one.id())).isGreaterThan(Long.parseLong(lastSeen));

            long live = deliver();
            assertThat(json.readTree(again.next("delivery").data()).get("eventId").asLong()).as("then live again").isEqualTo(live);
        }
    }

    @Test
    void anUnknownPageHasNoStreamAndDeliveriesAreForAdminsOnly() {
        var unknown = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/live/nope"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        var created = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/user/tokens", "{\"name\":\"reader\",\"scopes\":[\"read\"]}");
        String reader = json.readTree(created.body()).get("token").asString();
        var denied = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/live/connections"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + reader).build());
        assertThat(denied.statusCode()).as("a token without the admin scope").isEqualTo(403);
    }
}
