package dev.forgeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
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
    void shortAdminTokenNamesTheSettingAndNotItsValue() {
        String problem = StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.admin-token=short-token");
        assertThat(problem).startsWith("invalid value for forgeline.admin-token (FORGELINE_ADMIN_TOKEN): ")
                .contains("at least 20 characters").doesNotContain("short-token").doesNotContain("forgeline (FORGELINE)");
    }

    @Test
    void anInvalidSecretKeyNamesTheSettingAndWhatIsWrongWithoutTheKey() {
        assertThat(StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.secret-key=not base64 at all!"))
                .startsWith("invalid value for forgeline.secret-key (FORGELINE_SECRET_KEY): it is not base64").doesNotContain("at all");
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        assertThat(StartupCheck.problemWith("--forgeline.home=" + home, "--forgeline.secret-key=" + sixteenBytes))
                .startsWith("invalid value for forgeline.secret-key (FORGELINE_SECRET_KEY): it must hold 32 bytes")
                .endsWith("not 16").doesNotContain(sixteenBytes);
    }

    @Test
    void serveWithAnInvalidSecretKeyExitsNonZeroWithOneLineAndNoStackTrace() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                ForgelineCommand.class.getName(), "serve", "--home", home.toString(), "--port", "0");
        builder.environment().put("FORGELINE_SECRET_KEY", "c2hvcnQ=");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).containsExactly("forgeline: invalid value for forgeline.secret-key (FORGELINE_SECRET_KEY): "
                + "it must hold 32 bytes (base64 of 32 random bytes: openssl rand -base64 32), not 5");
        assertThat(stdout).doesNotContain("Exception").doesNotContain("\tat ");
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
    void embeddedDatabaseStartsWithoutAnySetting() throws IOException {
        assertThat(StartupCheck.problemWith("--forgeline.home=" + home)).isNull();
        assertThat(home.resolve("db")).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("db")))).isEqualTo("rwx------");
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
