package dev.forgeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import dev.forgeline.platform.DataFolder;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.SecretBox;

/**
 * Checks the settings and the database before Spring starts, so that a wrong value or an unreachable
 * database ends in one line that names the setting, rather than a page of stack traces.
 */
final class StartupCheck {

    private StartupCheck() {
    }

    /** @return a one-line description of what is wrong, or null when the server can start */
    static String problemWith(String... arguments) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(arguments));
        ConfigurationPropertySources.attach(environment);
        ForgelineProperties settings;
        try {
            settings = ForgelineProperties.bind(environment);
        } catch (BindException e) {
            return describe(e);
        }
        String keyProblem = secretKeyProblem(settings);
        return keyProblem != null ? keyProblem : databaseProblem(settings);
    }

    /** The master key as given, or the key file as found: the value itself never goes into the message. */
    private static String secretKeyProblem(ForgelineProperties settings) {
        if (settings.secretKey() != null && !settings.secretKey().isBlank()) {
            String problem = SecretBox.keyProblem(settings.secretKey());
            return problem == null ? null : "invalid value for forgeline.secret-key (FORGELINE_SECRET_KEY): it " + problem;
        }
        Path file = settings.home().resolve(SecretBox.KEY_FILE);
        try {
            String problem = Files.isRegularFile(file) ? SecretBox.keyProblem(Files.readString(file)) : null;
            return problem == null ? null : "the key file " + file.toAbsolutePath().normalize() + " (FORGELINE_HOME) " + problem;
        } catch (IOException e) {
            return "cannot read the key file " + file.toAbsolutePath().normalize() + " (FORGELINE_HOME): " + e.getMessage();
        }
    }

    static String describe(BindException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            // A check across settings fails on the whole group: name the one setting it is about, without its value.
            if (cause instanceof ForgelineProperties.InvalidSetting invalid) {
                return "invalid value for " + invalid.property() + " (" + invalid.variable() + "): " + invalid.getMessage();
            }
        }
        String property = e.getName().toString();
        Object value = e.getProperty() != null ? e.getProperty().getValue() : null;
        String because = expectation(e);
        return "invalid value " + (value != null ? "'" + value + "' " : "") + "for " + property
                + " (" + ForgelineProperties.environmentVariable(property) + "): " + because;
    }

    private static String expectation(BindException e) {
        ResolvableType target = e.getTarget().getType();
        Class<?> type = target.resolve(Object.class);
        if (Collection.class.isAssignableFrom(type)) {
            type = target.asCollection().resolveGeneric(0);
        }
        if (type != null && type.isEnum()) {
            return "expected one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (type == Duration.class) {
            return "expected a duration such as 30s, 5m or 2h";
        }
        if (type == int.class || type == Integer.class) {
            return "expected a whole number";
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return firstLine(root.getMessage());
    }

    private static String databaseProblem(ForgelineProperties settings) {
        if (!settings.db().isPostgres(settings.home()) && (settings.db().url() == null || settings.db().url().isBlank())) {
            return homeProblem(settings.home());
        }
        String url = settings.effectiveDbUrl();
        DriverManager.setLoginTimeout(5);
        try (Connection ignored = DriverManager.getConnection(url, settings.db().effectiveUser(settings.home()),
                settings.db().effectivePassword())) {
            return null;
        } catch (SQLException e) {
            String where = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            String setting = settings.db().url() != null && !settings.db().url().isBlank()
                    ? "FORGELINE_DB_URL" : "FORGELINE_HOME";
            return "cannot open the database at " + where + " (" + setting + "): " + firstLine(e.getMessage());
        }
    }

    /**
     * The embedded database only needs a writable data folder. Opening it here would cost a whole open and
     * close (H2 compacts on close) before the server opens it again.
     */
    private static String homeProblem(java.nio.file.Path home) {
        java.nio.file.Path folder = home.toAbsolutePath().normalize().resolve(DataFolder.DB);
        try {
            DataFolder.create(home);
            DataFolder.create(folder);
            DataFolder.restrict(home);
        } catch (java.io.IOException e) {
            return "cannot create the data folder " + folder + " (FORGELINE_HOME): " + e.getMessage();
        }
        return java.nio.file.Files.isWritable(folder) ? null
                : "the data folder " + folder + " is not writable (FORGELINE_HOME)";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
