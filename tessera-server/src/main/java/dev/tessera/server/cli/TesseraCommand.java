package dev.tessera.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code tessera} command; everything happens in its sub-commands. */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "Tessera 0.1.0",
        description = "OAuth 2.0 Authorization Server and OpenID Connect Provider.",
        subcommands = {ServeCommand.class, KeysCommand.class, ClientsCommand.class, UsersCommand.class})
public final class TesseraCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TesseraCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tessera: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        });
        return commandLine;
    }
}
