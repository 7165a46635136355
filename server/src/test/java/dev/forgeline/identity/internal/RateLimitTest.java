package dev.forgeline.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestDatabase;
import dev.forgeline.test.TestHttp;

@ForgelineTest
@TestPropertySource(properties = {
        "forgeline.identity.rate-limit.api-burst=3", "forgeline.identity.rate-limit.api-per-minute=1",
        "forgeline.identity.rate-limit.webhook-burst=2", "forgeline.identity.rate-limit.webhook-per-minute=1",
        "forgeline.identity.rate-limit.login-burst=2", "forgeline.identity.rate-limit.login-per-minute=1",
        "forgeline.db.pool-size=5"})
class RateLimitTest {

    @Autowired ApiTokens tokens;
    @Autowired Organisations organisations;
    @Autowired DSLContext db;
    @LocalServerPort int port;

    private TestHttp caller() {
        long account = organisations.createAccount("limited-" + System.nanoTime(), "Limited", null);
        String token = Tokens.generate("flp_");
        tokens.create(account, "limited", token, Set.of("read"), Instant.now().plusSeconds(600));
        return new TestHttp(port, token);
    }

    @Test
    void anApiCallerOverItsBucketGets429WithRetryAfterWhileOthersCarryOn() {
        TestHttp busy = caller();
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 4; i++) {
            last = busy.get("/api/v1/orgs");
            statuses.add(last.statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429);
        assertThat(Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(last.body()).contains("too many requests");
        assertThat(caller().get("/api/v1/orgs").statusCode()).as("another token has its own bucket").isEqualTo(200);
        if (TestDatabase.isPostgres()) {
            assertThat(db.fetchCount(DSL.table("rate_limit_bucket"))).as("buckets shared through PostgreSQL").isPositive();
        }
    }

    @Test
    void webhooksCountPerConnection() {
        long connection = 900_000 + (System.nanoTime() % 100_000);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(deliver(connection).statusCode());
        }
        assertThat(statuses.subList(0, 2)).doesNotContain(429);
        assertThat(statuses.get(2)).isEqualTo(429);
        assertThat(deliver(connection + 1).statusCode()).as("another connection is not held up").isNotEqualTo(429);
    }

    @Test
    void signInAttemptsCountPerAddress() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpRequest attempt = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=guess" + i)).build();
            statuses.add(TestHttp.send(attempt).statusCode());
        }
        assertThat(statuses.subList(0, 2)).doesNotContain(429);
        assertThat(statuses.get(2)).isEqualTo(429);
    }

    private HttpResponse<String> deliver(long connection) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/github/" + connection))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "ping")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    }
}
