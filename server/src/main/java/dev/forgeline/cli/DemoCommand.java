package dev.forgeline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.forgeline.ForgelineApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the server with a demo organisation and a course, filled with months of realistic history "
                + "(teams, pull requests, reviews, pipelines, deployments, incidents) sent as signed webhooks through the "
                + "normal ingest path.",
                "Its data lives in its own folder (./demo-data); a second start finds it there and sends nothing."})
class DemoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--port", description = "HTTP port (default: 8080, or FORGELINE_PORT).")
    Integer port;

    @Option(names = "--home", defaultValue = "demo-data", description = "Data folder (default: ${DEFAULT-VALUE}).")
    Path home;

    @Option(names = "--teams", defaultValue = "3", description = "Teams in the organisation and in the course (default: ${DEFAULT-VALUE}).")
    int teams;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed: the same seed gives the same history (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws InterruptedException {
        List<String> arguments = new ArrayList<>();
        arguments.add("--forgeline.home=" + home);
        if (port != null) {
            arguments.add("--forgeline.port=" + port);
        }
        String problem = StartupCheck.problemWith(arguments.toArray(String[]::new));
        if (problem != null) {
            System.err.println("forgeline: " + problem);
            return 2;
        }
        if (teams < 1 || teams > 20) {
            System.err.println("forgeline: --teams must be 1 to 20");
            return 2;
        }
        SpringApplication application = new SpringApplication(ForgelineApplication.class);
        application.setMainApplicationClass(ForgelineApplication.class);
        ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new));
        new DemoSeed(context, spec.commandLine().getOut()).fill(teams, seed);
        return ServeCommand.RUNNING;
    }
}
