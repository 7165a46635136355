package dev.forgeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No secret ever appears in a log line: runs after every other test class of the run ({@link SecretCheckLast}) and
 * looks for every secret the tests created or were shown ({@link SecretsSeen}), and for anything shaped like a personal
 * API token, in every line the run logged ({@link LogCapture}). Tagged {@code db} so the PostgreSQL run checks too.
 */
@Tag("db")
class NoSecretInLogsTest {

    /** A personal API token: its prefix and 40 base62 characters. */
    private static final Pattern PERSONAL_TOKEN = Pattern.compile("flp_[A-Za-z0-9]{40}");
    /**
     * Each test server logs about fifteen lines as it starts, and a couple of test classes show a dozen secrets (the
     * whole suite far more): a capture or registry that stopped working gives (almost) nothing.
     */
    static final int LEAST_LINES_PER_SERVER = 10;
    static final int LEAST_SECRETS = 10;

    @Test
    void noLogLineOfTheWholeRunHoldsASecret() throws Exception {
        Path masterKey = TestDatabase.home().resolve("secret.key");
        assertThat(masterKey).as("the test servers' master key").isRegularFile();
        SecretsSeen.masterKeyIn(TestDatabase.home());
        Set<String> secrets = SecretsSeen.all();
        List<String> lines = LogCapture.lines();
        int servers = TestDatabase.SERVERS_STARTED.get();
        assertThat(servers).as("test servers started in this JVM").isPositive();
        assertThat(LogCapture.inProcessLines()).as("log lines captured in this JVM from " + servers + " test servers (is the capture installed?)")
                .isGreaterThanOrEqualTo((long) LEAST_LINES_PER_SERVER * servers);
        assertThat(secrets).as("secrets the tests created or were shown").hasSizeGreaterThanOrEqualTo(LEAST_SECRETS)
                .contains(Files.readString(masterKey).strip())
                .anyMatch(s -> s.startsWith("flp_"));

        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            for (String secret : secrets) {
                if (line.contains(secret)) {
                    leaks.add(masked(line, secret));
                }
            }
            if (line.contains("flp_")) {
                Matcher token = PERSONAL_TOKEN.matcher(line);
                while (token.find()) {
                    leaks.add(masked(line, token.group()));
                }
            }
        }
        System.out.println("checked " + lines.size() + " log lines (" + LogCapture.inProcessLines() + " from this JVM) against "
                + secrets.size() + " secrets");
        assertThat(leaks).as("log lines holding a secret, of " + lines.size() + " lines and " + secrets.size() + " secrets")
                .isEmpty();
    }

    /** The report names the line, not the secret again. */
    private static String masked(String line, String secret) {
        String shown = line.replace(secret, secret.substring(0, 4) + "…(" + secret.length() + " characters)");
        return shown.length() > 500 ? shown.substring(0, 500) + "…" : shown;
    }
}
