package dev.forgeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

import dev.forgeline.ForgelineApplication;
import dev.forgeline.identity.SecretKeys;
import dev.forgeline.platform.SecretBox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code forgeline admin}: maintenance of an installation, run next to its data with the servers stopped. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Maintain a Forgeline installation.",
        subcommands = {AdminCommand.RotateKey.class})
class AdminCommand {

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = {"Re-encrypt every secret at rest (webhook secrets, forge API tokens) under a new master key.",
                    "Stop every Forgeline process first; start them with the new key afterwards.",
                    "With a key file ($FORGELINE_HOME/secret.key) a new key is generated into it.",
                    "With FORGELINE_SECRET_KEY, give the new key in FORGELINE_NEW_SECRET_KEY (openssl rand -base64 32)."})
    static class RotateKey implements Callable<Integer> {

        static final String NEW_KEY = "FORGELINE_NEW_SECRET_KEY";

        @Option(names = "--home", description = "Data folder (default: ./data, or FORGELINE_HOME).")
        Path home;

        @Override
        public Integer call() throws IOException {
            List<String> arguments = new ArrayList<>(List.of("--forgeline.roles=web", "--spring.main.banner-mode=off"));
            if (home != null) {
                arguments.add("--forgeline.home=" + home);
            }
            String problem = StartupCheck.problemWith(arguments.toArray(String[]::new));
            if (problem != null) {
                System.err.println("forgeline: " + problem);
                return 2;
            }
            SpringApplication application = new SpringApplication(ForgelineApplication.class);
            application.setWebApplicationType(WebApplicationType.NONE);
            try (ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new))) {
                return rotate(context.getBean(SecretBox.class).keyFile(), context.getBean(SecretKeys.class));
            }
        }

        private static int rotate(Optional<Path> keyFile, SecretKeys keys) throws IOException {
            String newKey = System.getenv(NEW_KEY);
            if (keyFile.isEmpty() && (newKey == null || newKey.isBlank())) {
                System.err.println("forgeline: FORGELINE_SECRET_KEY holds the key: give the new one in " + NEW_KEY);
                return 2;
            }
            if (newKey == null || newKey.isBlank()) {
                newKey = SecretBox.generateKey();
            }
            // The new key is on disk before the database holds secrets only it opens, and replaces the old one after.
            Path pending = keyFile.map(file -> file.resolveSibling(file.getFileName() + ".new")).orElse(null);
            if (pending != null) {
                SecretBox.writeKeyFile(pending, newKey);
            }
            Map<String, Integer> counts;
            try {
                counts = keys.rotate(newKey);
            } catch (RuntimeException e) {
                if (pending != null) {
                    Files.deleteIfExists(pending);
                }
                System.err.println("forgeline: nothing changed: " + e.getMessage());
                return 1;
            }
            counts.forEach((kind, count) -> System.out.println("re-encrypted " + count + " " + kind));
            if (pending != null) {
                Files.move(pending, keyFile.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.out.println("the new key is in " + keyFile.get() + "; give every process this file");
            } else {
                System.out.println("start every process with FORGELINE_SECRET_KEY set to the value of " + NEW_KEY);
            }
            return 0;
        }
    }
}
