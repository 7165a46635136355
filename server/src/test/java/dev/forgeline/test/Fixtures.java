package dev.forgeline.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real webhook payloads kept in the repository under src/test/resources/webhooks: GitHub's documented examples
 * (octokit/webhooks, MIT) and GitLab's (go-gitlab, Apache-2.0), each folder with its source's licence.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path webhooks() {
        // Tests run with the server module as their working directory.
        Path folder = Path.of("src", "test", "resources", "webhooks").toAbsolutePath().normalize();
        if (!Files.isDirectory(folder.resolve("github")) || !Files.isDirectory(folder.resolve("gitlab"))) {
            throw new IllegalStateException("the webhook fixtures are missing: expected " + folder);
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
