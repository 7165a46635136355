package dev.forgeline.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.forgeline.cli.ForgelineCommand;

/** A Forgeline server in its own process, started as a user starts it, on this test run's database. */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path home;
    public final int port;

    private ServerProcess(Process process, Path log, Path home, int port) {
        this.process = process;
        this.log = log;
        this.home = home;
        this.port = port;
    }

    public static ServerProcess start(Map<String, String> environment, String... arguments) throws IOException {
        return start(Files.createTempDirectory("forgeline-home"), environment, arguments);
    }

    /** @param home its data folder: give the same one to a restarted server, as a real restart would */
    public static ServerProcess start(Path home, Map<String, String> environment, String... arguments) throws IOException {
        return start(List.of("-cp", System.getProperty("java.class.path"), ForgelineCommand.class.getName()), home, environment, arguments);
    }

    /** The built jar, started as ./forgeline starts it: with the bean definitions worked out at build time. */
    public static ServerProcess startPackaged(Path jar, Map<String, String> environment, String... arguments) throws IOException {
        return start(List.of("-Dspring.aot.enabled=true", "-jar", jar.toString()), Files.createTempDirectory("forgeline-home"),
                environment, arguments);
    }

    private static ServerProcess start(List<String> launch, Path home, Map<String, String> environment, String... arguments)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(launch);
        command.addAll(List.of("serve", "--port", String.valueOf(port)));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile("forgeline-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        for (String setting : TestDatabase.settings()) {
            String key = setting.substring(0, setting.indexOf('='));
            builder.environment().put(key.replace('.', '_').toUpperCase(), setting.substring(key.length() + 1));
        }
        // Its own data folder: an embedded database file is locked by the process that opened it.
        builder.environment().put("FORGELINE_HOME", home.toString());
        builder.environment().putAll(environment);
        SecretsSeen.inSettings(environment);
        return new ServerProcess(builder.start(), log, home, port);
    }

    /** Waits for readiness; a server that is not ready in time is stopped, since its caller never gets to close it. */
    public ServerProcess awaitReady(Duration deadline) {
        TestHttp http = new TestHttp(port, null);
        try {
            Eventually.await("server readiness on port " + port, deadline, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("server exited with " + process.exitValue() + ":\n" + output());
                }
                try {
                    return http.get("/actuator/health/readiness").statusCode() == 200;
                } catch (RuntimeException notYetListening) {
                    return false;
                }
            });
        } catch (AssertionError | RuntimeException notReady) {
            try {
                close();
            } catch (Exception stopping) {
                notReady.addSuppressed(stopping);
            }
            throw notReady;
        }
        return this;
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the process at once, as a crash or the OOM killer would (SIGKILL): no shutdown hooks run. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops it; what it logged goes to the run's log capture, its master key to the secrets seen. */
    @Override
    public void close() throws Exception {
        kill();
        LogCapture.addOutput(output());
        SecretsSeen.masterKeyIn(home);
        Files.deleteIfExists(log);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
