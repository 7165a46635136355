package dev.forgeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.forgeline.test.ServerProcess;
import dev.forgeline.test.TestHttp;

/** The embedded database and the master key are for the server's own user only, whatever the umask it started with. */
class DataFolderTest {

    static final String ADMIN_TOKEN = "data-folder-admin-0123456789abcdef";

    @TempDir Path parent;

    @Test
    void theDataFolderIs0700AndTheDatabaseAndKeyFiles0600AfterStartAndWrites() throws Exception {
        // A data folder left readable by an earlier version, with a file of the database in it.
        Path home = parent.resolve("data");
        Files.createDirectories(home.resolve("db"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path trace = Files.writeString(home.resolve("db").resolve("forgeline.trace.db"), "old trace\n");
        Files.setPosixFilePermissions(trace, PosixFilePermissions.fromString("rw-r--r--"));

        try (ServerProcess server = ServerProcess.start(home, Map.of("FORGELINE_ADMIN_TOKEN", ADMIN_TOKEN)).awaitReady(Duration.ofSeconds(180))) {
            TestHttp admin = new TestHttp(server.port, ADMIN_TOKEN);
            for (int i = 0; i < 20; i++) {
                assertThat(admin.post("/api/v1/connections", "{\"provider\":\"github\",\"name\":\"perm-" + i + "\"}").statusCode()).isEqualTo(201);
            }
            assertThat(mode(home)).isEqualTo("rwx------");
            assertThat(mode(home.resolve("db"))).isEqualTo("rwx------");
            assertThat(mode(home.resolve("secret.key"))).isEqualTo("rw-------");
            List<Path> files;
            try (Stream<Path> list = Files.list(home.resolve("db"))) {
                files = list.filter(Files::isRegularFile).toList();
            }
            assertThat(files).extracting(f -> f.getFileName().toString()).contains("forgeline.mv.db", "forgeline.trace.db");
            assertThat(files).allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
