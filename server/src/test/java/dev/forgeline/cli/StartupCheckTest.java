package dev.forgeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupCheckTest {

    @TempDir Path home;

    @Test
    void unknownLogFormatNamesTheSettingAndItsChoices() {
        String problem = StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.log.format=xml");
        assertThat(problem).isEqualTo("invalid value 'xml' for forgeline.log.format (FORGELINE_LOG_FORMAT): expected one of text, json");
    }

    @Test
    void unknownRoleNamesTheSettingAndItsChoices() {
        String problem = StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.roles=web,cook");
        assertThat(problem).startsWith("invalid value").contains("forgeline.roles", "FORGELINE_ROLES", "web, worker, scheduler");
    }

    @Test
    void badDurationSaysWhatADurationLooksLike() {
        String problem = StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.jobs.poll-interval=often");
        assertThat(problem).contains("forgeline.jobs.poll-interval", "FORGELINE_JOBS_POLLINTERVAL", "30s");
    }

    @Test
    void connectionWaitLongerThanAWebhookSenderWaitsIsRefused() {
        String problem = StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.db.connection-timeout=30s");
        assertThat(problem).contains("forgeline.db.connection-timeout", "between 250ms and 8s");
    }

    @Test
    void trustedProxyGivenByNameIsRefused() {
        String problem = StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.web.trusted-proxies=127.0.0.1,proxy.internal");
        assertThat(problem).contains("forgeline.web.trusted-proxies", "IP addresses or CIDR ranges", "proxy.internal");
    }

    @Test
    void shortAdminTokenIsRefused() {
        String problem = StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.admin-token=short");
        assertThat(problem).contains("at least 20 characters");
    }

    @Test
    void unreachableDatabaseNamesTheUrlSetting() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String problem = StartupCheck.problemWith("--forgeline.home=" + home,
                "--forgeline.db.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/forgeline?password=secret");
        assertThat(problem).startsWith("cannot open the database at jdbc:postgresql://127.0.0.1:" + closedPort + "/forgeline (FORGELINE_DB_URL): ")
                .doesNotContain("secret")
                .doesNotContain("\n");
    }

    @Test
    void embeddedDatabaseStartsWithoutAnySetting() {
        assertThat(StartupCheck.problemWith("--forgeline.home=" + home)).isNull();
        assertThat(home.resolve("db")).isDirectory();
    }

    @Test
    void serveWithABadSettingExitsNonZeroWithOneLine() throws Exception {
        Process process = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                ForgelineCommand.class.getName(), "serve", "--roles", "cook", "--home", home.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).hasSize(1);
        assertThat(stderr.getFirst()).startsWith("forgeline: invalid value").contains("forgeline.roles");
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Process process = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                ForgelineCommand.class.getName(), "--help").redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isZero();
        assertThat(output).contains("Usage: forgeline", "serve");
    }
}
