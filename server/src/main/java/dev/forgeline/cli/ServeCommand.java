package dev.forgeline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.boot.SpringApplication;

import dev.forgeline.ForgelineApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the Forgeline server.",
                "Without FORGELINE_DB_URL it keeps everything in an embedded database under FORGELINE_HOME (./data)."})
class ServeCommand implements Callable<Integer> {

    /** Exit code that tells main() the server is up and must not be stopped. */
    static final int RUNNING = Integer.MIN_VALUE;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE",
            description = "What this process does: web, worker, scheduler (default: all three).")
    List<String> roles;

    @Option(names = "--port", description = "HTTP port (default: 8080, or FORGELINE_PORT).")
    Integer port;

    @Option(names = "--home", description = "Data folder for the embedded database and keys (default: ./data, or FORGELINE_HOME).")
    Path home;

    @Override
    public Integer call() {
        List<String> arguments = new ArrayList<>();
        if (roles != null) {
            arguments.add("--forgeline.roles=" + String.join(",", roles));
        }
        if (port != null) {
            arguments.add("--forgeline.port=" + port);
        }
        if (home != null) {
            arguments.add("--forgeline.home=" + home);
        }
        String problem = StartupCheck.problemWith(arguments.toArray(String[]::new));
        if (problem != null) {
            System.err.println("forgeline: " + problem);
            return 2;
        }
        SpringApplication application = new SpringApplication(ForgelineApplication.class);
        application.setMainApplicationClass(ForgelineApplication.class);
        application.run(arguments.toArray(String[]::new));
        return RUNNING;
    }
}
