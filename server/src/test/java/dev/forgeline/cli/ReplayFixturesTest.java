package dev.forgeline.cli;

import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.test.Eventually;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every recorded GitHub and GitLab payload goes through `forgeline webhook replay-dir`, signed as its forge
 * signs it, over real HTTP: each is accepted, and each ends processed or ignored, never failed.
 */
@ForgelineTest
@TestPropertySource(properties = "forgeline.admin-token=" + ReplayFixturesTest.ADMIN_TOKEN)
class ReplayFixturesTest {

    static final String ADMIN_TOKEN = "replay-fixtures-admin-0123456789";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @LocalServerPort int port;

    @Test
    void everyRecordedPayloadIsAcceptedAndProcessed() throws Exception {
        replay("github");
        replay("gitlab");
    }

    private void replay(String provider) throws Exception {
        TestHttp admin = new TestHttp(port, ADMIN_TOKEN);
        var created = json.readTree(admin.post("/api/v1/connections",
                "{\"provider\":\"" + provider + "\",\"name\":\"fixtures " + provider + "\"}").body());
        long connection = created.get("id").asLong();
        Path folder = Fixtures.webhooks().resolve(provider);
        long files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).count();
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new ForgelineCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("webhook", "replay-dir", "--url", "http://localhost:" + port, "--provider", provider,
                        "--connection", Long.toString(connection), "--secret", created.get("secret").asString(), folder.toString());

        assertThat(err.toString()).as("refusals").doesNotContain(": 4", ": 5");
        assertThat(exit).isZero();
        assertThat(out.toString()).contains(files + " sent: " + files + " accepted, 0 refused");
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(connection))).isEqualTo((int) files);

        Eventually.await("every " + provider + " event processed", Duration.ofSeconds(60),
                () -> !db.fetchExists(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(connection)
                        .and(WEBHOOK_EVENT.STATUS.in("received", "failed", "dead"))) || failedEvents(connection));
        assertThat(db.select(WEBHOOK_EVENT.EVENT_TYPE, WEBHOOK_EVENT.ERROR).from(WEBHOOK_EVENT)
                .where(WEBHOOK_EVENT.CONNECTION_ID.eq(connection)).and(WEBHOOK_EVENT.STATUS.in("failed", "dead")).fetch()
                .map(r -> r.value1() + ": " + r.value2())).as("events that failed").isEmpty();
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(connection).and(WEBHOOK_EVENT.STATUS.eq("processed"))))
                .as("processed into the model").isGreaterThan((int) files / 3);
    }

    private boolean failedEvents(long connection) {
        return db.fetchExists(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(connection).and(WEBHOOK_EVENT.STATUS.eq("failed")));
    }
}
