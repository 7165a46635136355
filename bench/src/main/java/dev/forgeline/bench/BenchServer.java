package dev.forgeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.forgeline.ForgelineApplication;
import dev.forgeline.platform.ForgelineProperties;

/** Starts a real Forgeline server in the bench's JVM: PostgreSQL when FORGELINE_DB_URL is set, else H2 in a temporary folder. */
final class BenchServer {

    private BenchServer() {
    }

    static ConfigurableApplicationContext start(Class<?>[] extra, String... arguments) throws IOException {
        List<Class<?>> sources = new ArrayList<>(List.of(ForgelineApplication.class));
        sources.addAll(List.of(extra));
        List<String> args = new ArrayList<>(List.of(arguments));
        args.add("--forgeline.port=0");
        if (System.getenv("FORGELINE_HOME") == null) {
            args.add("--forgeline.home=" + Files.createTempDirectory("forgeline-bench"));
        }
        args.add("--logging.level.root=WARN");
        SpringApplication application = new SpringApplication(sources.toArray(Class<?>[]::new));
        return application.run(args.toArray(String[]::new));
    }

    static String database(ConfigurableApplicationContext context) {
        String url = context.getBean(ForgelineProperties.class).effectiveDbUrl();
        return url.startsWith("jdbc:postgresql:") ? "PostgreSQL (" + url + ")" : "embedded H2";
    }
}
