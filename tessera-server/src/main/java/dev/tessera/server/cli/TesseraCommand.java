package dev.tessera.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Optional;

/** The top-level {@code tessera} command; everything happens in its sub-commands. */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "Tessera 0.1.0",
        description = "OAuth 2.0 Authorization Server and OpenID Connect Provider.")
public final class TesseraCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    // The embedded H2 store is opened exclusively; say what to do instead of relaying H2's advice.
    static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Database may be already in use")) {
            return "the embedded store is in use by a running `tessera serve`; stop it first, "
                    + "or use PostgreSQL (storage.type: postgres), which several processes can share";
        }
        return message;
    }

    /** Runs {@code tessera ARGS}; the exit code. */
    public static int execute(String[] args) {
        Optional<ServeArguments> serve = ServeArguments.of(args);
        if (serve.isEmpty()) {
            return commandLineFor(args).execute(args);
        }
        // As picocli's own output and exception handler would (commandLine below) for the same arguments.
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return ServeCommand.serve(serve.get(), out, err);
        } catch (Exception e) {
            return failed(e, err);
        }
    }

    private static int failed(Exception e, PrintWriter err) {
        err.println("tessera: " + describe(e));
        return 1;
    }

    /** Every sub-command. */
    public static CommandLine commandLine() {
        return commandLine(false);
    }

    /**
     * The command line for {@code args}: with {@code serve} first, only that sub-command, since picocli reflects
     * over every registered command's options up front and a server start need not pay for the others (issue 10:
     * start-up time); otherwise every sub-command, as {@link #commandLine()}.
     */
    public static CommandLine commandLineFor(String[] args) {
        return commandLine(args.length > 0 && "serve".equals(args[0]));
    }

    private static CommandLine commandLine(boolean serveOnly) {
        CommandLine commandLine = new CommandLine(new TesseraCommand());
        commandLine.addSubcommand(new ServeCommand());
        if (!serveOnly) {
            commandLine.addSubcommand(new KeysCommand());
            commandLine.addSubcommand(new ClientsCommand());
            commandLine.addSubcommand(new UsersCommand());
            commandLine.addSubcommand(new CdsTrainingCommand());
        }
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr()));
        return commandLine;
    }
}
