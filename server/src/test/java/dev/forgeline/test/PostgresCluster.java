package dev.forgeline.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, in a temporary folder on a free port, that the test can stop and start
 * as an operator would ({@code pg_ctl stop -m fast}): a real database outage, without touching the machine's
 * PostgreSQL. initdb refuses to run as root, so under root the cluster belongs to the {@code postgres} user.
 */
public final class PostgresCluster implements AutoCloseable {

    private final Path bin;
    private final Path folder;
    private final Path data;
    private final boolean asPostgresUser;
    private final Thread cleanupAtExit;
    public final int port;

    private PostgresCluster(Path bin, Path folder, boolean asPostgresUser, int port) {
        this.bin = bin;
        this.folder = folder;
        this.data = folder.resolve("data");
        this.asPostgresUser = asPostgresUser;
        this.port = port;
        // A test run killed halfway must not leave a postmaster behind.
        this.cleanupAtExit = new Thread(this::stopQuietly);
    }

    /** Creates and starts a fresh cluster; its superuser {@code postgres} connects without a password. */
    public static PostgresCluster start() throws IOException {
        Path folder = Files.createTempDirectory("forgeline-pg");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            var postgres = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(folder, postgres);
        }
        PostgresCluster cluster = new PostgresCluster(binaries(), folder, root, ServerProcess.freePort());
        Runtime.getRuntime().addShutdownHook(cluster.cleanupAtExit);
        try {
            cluster.run("initdb", "-D", cluster.data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
            cluster.startAgain();
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the (stopped) server and waits until it accepts connections. */
    public void startAgain() throws IOException {
        run("pg_ctl", "-D", data.toString(), "-l", folder.resolve("server.log").toString(), "-w", "start", "-o",
                "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off");
    }

    /** Stops the server the way an operator does: fast shutdown, every connection dropped at once. */
    public void stopFast() throws IOException {
        run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    /** Stops the server if it runs and deletes its folder. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs or has run
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopQuietly() {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
            } catch (IOException | RuntimeException e) {
                System.err.println("could not stop the test's PostgreSQL in " + folder + ": " + e.getMessage());
            }
        }
    }

    private void run(String program, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("forgeline-pg", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " exited with " + process.exitValue() + ":\n" + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** {@code FORGELINE_TEST_PG_BIN}, else the newest release under Debian's /usr/lib/postgresql. */
    private static Path binaries() throws IOException {
        String configured = System.getenv("FORGELINE_TEST_PG_BIN");
        if (configured != null) {
            return Path.of(configured);
        }
        try (Stream<Path> releases = Files.list(Path.of("/usr/lib/postgresql"))) {
            return releases.filter(release -> release.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(release -> Integer.parseInt(release.getFileName().toString())))
                    .map(release -> release.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: set FORGELINE_TEST_PG_BIN"));
        }
    }
}
