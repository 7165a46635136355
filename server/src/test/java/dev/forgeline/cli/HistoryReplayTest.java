package dev.forgeline.cli;

import static dev.forgeline.schema.Tables.DEPLOYMENT_STATUS;
import static dev.forgeline.schema.Tables.FORGE_USER;
import static dev.forgeline.schema.Tables.ISSUE;
import static dev.forgeline.schema.Tables.PULL_REQUEST;
import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.REVIEW;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.demo.ForgeHistory;
import dev.forgeline.test.Eventually;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A generated history sent by `forgeline webhook history` goes through the normal ingest path and becomes the
 * model it describes: every pull request, review, deployment, incident and person.
 */
@ForgelineTest
@TestPropertySource(properties = "forgeline.admin-token=" + HistoryReplayTest.ADMIN_TOKEN)
class HistoryReplayTest {

    static final String ADMIN_TOKEN = "history-replay-admin-0123456789";
    static final int DAYS = 30;

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @LocalServerPort int port;

    @ParameterizedTest
    @ValueSource(strings = {"github", "gitlab"})
    void aGeneratedHistoryBecomesTheModelItDescribes(String provider) {
        String owner = "history-" + provider + "-" + System.nanoTime() % 100_000;
        long seed = 42;
        ForgeHistory history = new ForgeHistory(new ForgeHistory.Shape(provider, owner, 3, 6, 3,
                LocalDate.now(ZoneOffset.UTC).minusDays(DAYS), DAYS, 5, 0.5, seed));
        List<ForgeHistory.Delivery> deliveries = history.deliveries().toList();
        assertThat(deliveries).extracting(ForgeHistory.Delivery::at).isSorted();
        assertThat(history.deliveries().map(d -> new String(d.body())).toList()).as("the same seed, the same history")
                .isEqualTo(deliveries.stream().map(d -> new String(d.body())).toList());

        var created = json.readTree(new TestHttp(port, ADMIN_TOKEN).post("/api/v1/connections",
                "{\"provider\":\"" + provider + "\",\"name\":\"" + owner + "\"}").body());
        long connection = created.get("id").asLong();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new ForgelineCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("webhook", "history", "--url", "http://localhost:" + port, "--provider", provider,
                        "--connection", Long.toString(connection), "--secret", created.get("secret").asString(),
                        "--owner", owner, "--repositories", "3", "--people", "6", "--teams", "3", "--days", Integer.toString(DAYS),
                        "--pull-requests-per-week", "5", "--seed", Long.toString(seed));
        assertThat(err.toString()).as("refusals").doesNotContain(": 4", ": 5");
        assertThat(exit).isZero();
        int n = deliveries.size();
        assertThat(out.toString()).contains(n + " sent: " + n + " accepted, 0 refused");

        Eventually.await("every delivery processed", Duration.ofSeconds(90), () -> !db.fetchExists(WEBHOOK_EVENT,
                WEBHOOK_EVENT.CONNECTION_ID.eq(connection).and(WEBHOOK_EVENT.STATUS.in("received", "failed"))));
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(connection).and(WEBHOOK_EVENT.STATUS.eq("processed"))))
                .as("nothing ignored or dead").isEqualTo(n);

        var repositories = db.select(REPOSITORY.ID).from(REPOSITORY).where(REPOSITORY.CONNECTION_ID.eq(connection)).fetch(REPOSITORY.ID);
        assertThat(repositories).hasSize(3);
        assertThat(db.fetchCount(PULL_REQUEST, PULL_REQUEST.REPOSITORY_ID.in(repositories)))
                .as("one pull request per opening").isEqualTo(count(deliveries, provider.equals("gitlab") ? "\"action\":\"open\"" : "\"action\":\"opened\""));
        assertThat(db.fetchCount(PULL_REQUEST, PULL_REQUEST.REPOSITORY_ID.in(repositories).and(PULL_REQUEST.STATE.eq("merged"))))
                .isEqualTo(count(deliveries, provider.equals("gitlab") ? "\"action\":\"merge\"" : "\"merged\":true"));
        assertThat(db.fetchCount(REVIEW, REVIEW.PULL_REQUEST_ID.in(db.select(PULL_REQUEST.ID).from(PULL_REQUEST)
                .where(PULL_REQUEST.REPOSITORY_ID.in(repositories))))).isPositive();
        assertThat(db.select(DEPLOYMENT_STATUS.STATE).from(DEPLOYMENT_STATUS).fetch(DEPLOYMENT_STATUS.STATE)).contains("success");
        if (deliveries.stream().anyMatch(d -> new String(d.body()).contains("\"incident\""))) {
            assertThat(db.fetchExists(ISSUE, ISSUE.REPOSITORY_ID.in(repositories).and(ISSUE.LABELS.contains("incident")))).isTrue();
        }
        List<String> logins = db.select(FORGE_USER.LOGIN).from(FORGE_USER).where(FORGE_USER.PROVIDER.eq(provider)).fetch(FORGE_USER.LOGIN);
        assertThat(logins).containsAll(history.people().stream().map(ForgeHistory.Person::login).toList());
    }

    /** Pull/merge request deliveries whose body holds the marker. */
    private static int count(List<ForgeHistory.Delivery> deliveries, String marker) {
        return (int) deliveries.stream().filter(d -> d.event().equals("pull_request") || d.event().equals("Merge Request Hook"))
                .filter(d -> new String(d.body()).contains(marker)).count();
    }
}
