package dev.tessera.server;

import dev.tessera.server.cli.TesseraCommand;

/** Entry point of tessera.jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // People read dev-mode logs; machines read production logs (JSON, the default).
        if (java.util.Arrays.asList(args).contains("--dev") && System.getProperty("tessera.log.format") == null
                && System.getenv("TESSERA_LOG_FORMAT") == null) {
            System.setProperty("tessera.log.format", "text");
        }
        System.exit(TesseraCommand.execute(args));
    }
}
