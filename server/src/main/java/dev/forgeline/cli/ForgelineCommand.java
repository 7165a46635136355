package dev.forgeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code forgeline}: the one executable. Subcommands start the server or talk to one. */
@Command(name = "forgeline",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Forgeline: forge events in, engineering insight, CI and deploys out.",
        subcommands = {ServeCommand.class, DemoCommand.class, WebhookCommand.class, AdminCommand.class, CommandLine.HelpCommand.class})
public class ForgelineCommand {

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new ForgelineCommand());
        int exitCode = commandLine.execute(args);
        // A started server keeps running on its own threads; every other outcome ends here.
        if (exitCode != ServeCommand.RUNNING) {
            System.exit(exitCode);
        }
    }
}
