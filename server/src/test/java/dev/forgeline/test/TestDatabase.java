package dev.forgeline.test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a test server at the database of this test run. PostgreSQL gets a fresh database per run,
 * created here and dropped when the JVM ends; H2 a fresh data folder under target/.
 * <p>
 * A test class that sets {@value #OWN_DATABASE} gets a database and data folder of its own instead. The job
 * queue's tests need that: every other cached server polls the shared queue, briefly claims the test jobs it
 * has no handler for, and so reorders or dead-letters them.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The PostgreSQL server tests use; CI has one on localhost with trust authentication. */
    static final String POSTGRES_ADMIN_URL = System.getenv().getOrDefault("FORGELINE_TEST_PG_URL",
            "jdbc:postgresql://localhost:5432/test");
    static final String POSTGRES_USER = System.getenv().getOrDefault("FORGELINE_TEST_PG_USER", "postgres");

    /** Test servers started in this JVM (application contexts refreshed). */
    static final AtomicInteger SERVERS_STARTED = new AtomicInteger();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static volatile String postgresUrl;

    public static boolean isPostgres() {
        return "postgres".equals(System.getProperty("forgeline.test.db", "h2"));
    }

    /** Settings that select this run's database, as command-line style {@code key=value} pairs. */
    public static String[] settings() {
        if (isPostgres()) {
            return new String[] {"forgeline.db.url=" + postgresUrl(), "forgeline.db.user=" + POSTGRES_USER,
                    "forgeline.home=" + home(), "forgeline.db.pool-size=" + POOL_SIZE};
        }
        return new String[] {"forgeline.home=" + home(), "forgeline.db.pool-size=" + POOL_SIZE};
    }

    /** Per test server: several are cached at once, and together they stay well under PostgreSQL's connection limit. */
    static final int POOL_SIZE = 8;

    /** The data folder of this run, shared by every server the run starts, as servers sharing a database do. */
    public static Path home() {
        return Path.of("target", "test-data", RUN).toAbsolutePath();
    }

    /** Set with {@code @TestPropertySource} to the purpose of a database of the test class's own. */
    public static final String OWN_DATABASE = "forgeline.test.own-database";
    private static final Map<String, String> OWN_URLS = new ConcurrentHashMap<>();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String own = context.getEnvironment().getProperty(OWN_DATABASE);
        TestPropertyValues.of(own == null ? settings() : ownSettings(own)).applyTo(context);
        // Once every property source is in place and the master key exists: the secrets this server holds.
        context.addApplicationListener((ApplicationListener<ContextRefreshedEvent>) refreshed -> {
            SERVERS_STARTED.incrementAndGet();
            SecretsSeen.inEnvironment(context.getEnvironment());
        });
    }

    private static String[] ownSettings(String purpose) {
        Path home = home().resolveSibling(RUN + "-" + purpose);
        if (isPostgres()) {
            // The same URL again if this class's server is started anew after the context cache let it go.
            String url = OWN_URLS.computeIfAbsent(purpose, TestDatabase::isolatedPostgresUrl);
            return new String[] {"forgeline.db.url=" + url, "forgeline.db.user=" + POSTGRES_USER,
                    "forgeline.home=" + home, "forgeline.db.pool-size=" + POOL_SIZE};
        }
        return new String[] {"forgeline.home=" + home, "forgeline.db.pool-size=" + POOL_SIZE};
    }

    public static synchronized String postgresUrl() {
        if (postgresUrl == null) {
            String name = "forgeline_test_" + RUN;
            execute("create database " + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("drop database if exists " + name + " with (force)")));
            postgresUrl = POSTGRES_ADMIN_URL.substring(0, POSTGRES_ADMIN_URL.lastIndexOf('/') + 1) + name;
        }
        return postgresUrl;
    }

    /** A PostgreSQL database of its own, for a test whose servers must not see what other tests stored. */
    public static String isolatedPostgresUrl(String purpose) {
        String name = "forgeline_test_" + RUN + "_" + purpose;
        execute("create database " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("drop database if exists " + name + " with (force)")));
        return POSTGRES_ADMIN_URL.substring(0, POSTGRES_ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + POSTGRES_ADMIN_URL + " is needed for the postgres test run: "
                    + e.getMessage(), e);
        }
    }
}
