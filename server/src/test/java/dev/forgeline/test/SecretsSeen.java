package dev.forgeline.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * Every secret the tests created or were shown, for {@link NoSecretInLogsTest}: tokens the test HTTP client sends,
 * secret fields of what it sends and receives, secret settings of the servers it starts, and their master keys.
 */
public final class SecretsSeen {

    /** Shorter values are rejected inputs ("short"), not secrets, and would match ordinary words. */
    static final int MIN_LENGTH = 10;
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "\"(secret|token|apiToken|password|newPassword|currentPassword|clientSecret|client_secret|access_token|refresh_token)\"\\s*:\\s*\"([^\"\\\\]+)\"");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|token|password|key).*");
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private SecretsSeen() {
    }

    public static void add(String value) {
        if (value != null && value.strip().length() >= MIN_LENGTH) {
            SECRETS.add(value.strip());
        }
    }

    /** The values of secret fields in a JSON request or answer. */
    public static void inJson(String body) {
        if (body == null || !(body.contains("ecret\"") || body.contains("oken\"") || body.contains("assword\""))) {
            return;
        }
        Matcher matcher = SECRET_FIELD.matcher(body);
        while (matcher.find()) {
            add(matcher.group(2));
        }
    }

    /** Settings of a server process whose names say they are secrets ({@code FORGELINE_ADMIN_TOKEN}, {@code FORGELINE_SECRET_KEY}). */
    public static void inSettings(Map<String, String> settings) {
        settings.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                add(value);
            }
        });
    }

    /** The secret {@code forgeline.*} settings of a test server, and the master key it generated or was given. */
    static void inEnvironment(ConfigurableEnvironment environment) {
        for (var source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.toLowerCase(Locale.ROOT).startsWith("forgeline.") && SECRET_NAME.matcher(name).matches()) {
                        add(environment.getProperty(name));
                    }
                }
            }
        }
        String home = environment.getProperty("forgeline.home");
        if (home != null) {
            masterKeyIn(Path.of(home));
        }
    }

    /** The generated master key file of a server's home folder, if there is one. */
    public static void masterKeyIn(Path home) {
        Path keyFile = home.resolve("secret.key");
        if (Files.isRegularFile(keyFile)) {
            try {
                add(Files.readString(keyFile));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Set<String> all() {
        return Set.copyOf(SECRETS);
    }
}
