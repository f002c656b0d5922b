package dev.tessera.server;

import dev.tessera.server.cli.TesseraCommand;
import picocli.CommandLine;

/** Entry point of tessera.jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(TesseraCommand.commandLine().execute(args));
    }
}
