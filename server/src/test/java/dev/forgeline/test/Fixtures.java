package dev.forgeline.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real webhook payloads kept beside the repository (shared/fixtures/webhooks). */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path webhooks() {
        Path folder = Path.of("..", "..", "shared", "fixtures", "webhooks").toAbsolutePath().normalize();
        if (!Files.isDirectory(folder.resolve("github")) || !Files.isDirectory(folder.resolve("gitlab"))) {
            throw new IllegalStateException("the webhook fixtures are missing: expected " + folder
                    + " (the shared folder beside the repository)");
        }
        return folder;
    }

    public static byte[] read(String relative) {
        try {
            return Files.readAllBytes(webhooks().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
