package dev.forgeline.cli;

import static dev.forgeline.schema.Tables.API_TOKEN;
import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static dev.forgeline.schema.Tables.CONNECTION;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jooq.impl.DSL;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.forgeline.platform.SecretBox;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.LogCapture;
import dev.forgeline.test.SecretsSeen;
import dev.forgeline.test.ServerProcess;
import dev.forgeline.test.Signing;
import dev.forgeline.test.TestDatabase;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Secrets at rest, end to end with real processes: what a connection, a forge API token and a personal API token
 * leave in the database and the logs, and a master key rotation that keeps every secret working.
 */
@Tag("db")
class SecretsAtRestTest {

    static final String ADMIN_TOKEN = "secrets-at-rest-admin-0123456789abc";
    static final String WEBHOOK_SECRET = "whsec-plaintext-0123456789-abcdef";
    static final String FORGE_TOKEN = "glpat-forge-token-0123456789abcdef";

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void noSecretIsStoredOrLoggedInClearAndRotationKeepsEveryOneWorking() throws Exception {
        Path home = Files.createTempDirectory("forgeline-secrets");
        String oldKey = SecretBox.generateKey();
        String newKey = SecretBox.generateKey();
        Map<String, String> environment = new HashMap<>(Map.of("FORGELINE_ADMIN_TOKEN", ADMIN_TOKEN, "FORGELINE_SECRET_KEY", oldKey));
        String dbUrl = TestDatabase.isPostgres() ? TestDatabase.isolatedPostgresUrl("secrets")
                : "jdbc:h2:file:" + home.resolve("db").resolve("forgeline") + ";DATABASE_TO_LOWER=TRUE";
        if (TestDatabase.isPostgres()) {
            environment.put("FORGELINE_DB_URL", dbUrl);
        }
        byte[] push = Fixtures.read("github/push/payload.json");
        List<String> logs = new ArrayList<>();
        String personalToken;
        long connectionId;

        try (ServerProcess before = ServerProcess.start(home, environment).awaitReady(Duration.ofSeconds(90))) {
            TestHttp admin = new TestHttp(before.port, ADMIN_TOKEN);
            var created = admin.post("/api/v1/connections", "{\"provider\":\"github\",\"name\":\"acme\",\"secret\":\""
                    + WEBHOOK_SECRET + "\",\"apiToken\":\"" + FORGE_TOKEN + "\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            connectionId = json.readTree(created.body()).get("id").asLong();
            assertThat(admin.get("/api/v1/connections").body()).doesNotContain(WEBHOOK_SECRET).doesNotContain(FORGE_TOKEN);
            assertThat(deliver(before.port, connectionId, push, WEBHOOK_SECRET)).isEqualTo(202);
            assertThat(deliver(before.port, connectionId, push, "a wrong secret of enough length")).isEqualTo(401);
            JsonNode token = json.readTree(admin.post("/api/v1/user/tokens", "{\"name\":\"ci\",\"scopes\":[\"read\"]}").body());
            personalToken = token.get("token").asString();
            assertThat(new TestHttp(before.port, personalToken).get("/api/v1/repositories").statusCode()).isEqualTo(200);
            assertThat(new TestHttp(before.port, "flp_not-a-token").get("/api/v1/repositories").statusCode()).isEqualTo(401);
            logs.add(before.output());
        }

        List<String> secrets = List.of(WEBHOOK_SECRET, FORGE_TOKEN, personalToken, ADMIN_TOKEN, oldKey, newKey);
        assertNoSecretInRows(dbUrl, secrets);

        Map<String, String> rotation = new HashMap<>(environment);
        rotation.put("FORGELINE_NEW_SECRET_KEY", newKey);
        Command rotated = run(home, rotation, "admin", "rotate-key");
        logs.add(rotated.output());
        assertThat(rotated.exitCode()).as(rotated.output()).isZero();
        assertThat(rotated.output()).contains("re-encrypted 2 connection secrets and forge API tokens");

        Map<String, String> afterwards = new HashMap<>(environment);
        afterwards.put("FORGELINE_SECRET_KEY", newKey);
        try (ServerProcess after = ServerProcess.start(home, afterwards).awaitReady(Duration.ofSeconds(90))) {
            assertThat(deliver(after.port, connectionId, push, WEBHOOK_SECRET)).as("the webhook secret works under the new key").isEqualTo(202);
            assertThat(new TestHttp(after.port, personalToken).get("/api/v1/repositories").statusCode()).isEqualTo(200);
            logs.add(after.output());
        }
        try (Connection db = DriverManager.getConnection(dbUrl, TestDatabase.isPostgres() ? "postgres" : "sa", "")) {
            var row = DSL.using(db).selectFrom(CONNECTION).where(CONNECTION.ID.eq(connectionId)).fetchSingle();
            assertThat(SecretBox.withKey(newKey).decrypt(row.getApiTokenEncrypted())).isEqualTo(FORGE_TOKEN);
            assertThat(DSL.using(db).fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("secret-key.rotated"))).isEqualTo(1);
        }
        assertNoSecretInRows(dbUrl, secrets);
        for (String log : logs) {
            for (String secret : secrets) {
                assertThat(log).as("a log line holds a secret").doesNotContain(secret);
            }
        }
    }

    private static void assertNoSecretInRows(String dbUrl, List<String> secrets) throws Exception {
        try (Connection db = DriverManager.getConnection(dbUrl, TestDatabase.isPostgres() ? "postgres" : "sa", "")) {
            var context = DSL.using(db);
            List<Object> values = new ArrayList<>();
            context.selectFrom(CONNECTION).fetch().forEach(r -> values.addAll(r.intoList()));
            context.selectFrom(API_TOKEN).fetch().forEach(r -> values.addAll(r.intoList()));
            context.selectFrom(AUDIT_EVENT).fetch().forEach(r -> values.addAll(r.intoList()));
            for (String table : List.of("webhook_event", "account", "login_session")) {
                context.selectFrom(DSL.table(table)).fetch().forEach(r -> values.addAll(r.intoList()));
            }
            assertThat(values).isNotEmpty();
            for (Object value : values) {
                for (String secret : secrets) {
                    assertThat(String.valueOf(value)).as("a stored value holds a secret").doesNotContain(secret);
                }
            }
        }
    }

    private static int deliver(int port, long connection, byte[] body, String secret) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/github/" + connection))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", java.util.UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + Signing.hmacSha256(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return TestHttp.send(request).statusCode();
    }

    record Command(int exitCode, String output) {
    }

    private static Command run(Path home, Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), ForgelineCommand.class.getName()));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile("forgeline-cli", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FORGELINE_HOME", home.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        SecretsSeen.inSettings(environment);
        LogCapture.addOutput(output);
        return new Command(process.exitValue(), output);
    }
}
