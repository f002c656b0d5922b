package dev.tessera.server.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The usual ways to start the server ({@code serve --config FILE}, {@code serve --dev [--port N]}), recognised
 * without picocli: building picocli's model reflects over the commands' annotations and probes the class path
 * (about a seventh of the main thread's start-up work, measured). Anything else, including every mistake and
 * every request for help, is left to picocli, so its messages stay the only ones; ServeArgumentsTest checks
 * that each shape accepted here parses to the same values as through picocli.
 */
record ServeArguments(boolean dev, Path config, Integer port) {
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    static Optional<ServeArguments> of(String[] args) {
        if (args.length < 2 || !"serve".equals(args[0])) {
            return Optional.empty();
        }
        boolean dev = false;
        String config = null;
        String port = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (("--config".equals(name) || "--port".equals(name)) && i + 1 < args.length) {
                value = args[++i];
            }
            switch (name) {
                case "--dev" -> {
                    if (dev || equals >= 0) {
                        return Optional.empty();
                    }
                    dev = true;
                }
                case "--config" -> {
                    if (config != null || !plainValue(value)) {
                        return Optional.empty();
                    }
                    config = value;
                }
                case "--port" -> {
                    if (port != null || value == null || !PORT.matcher(value).matches()) {
                        return Optional.empty();
                    }
                    port = value;
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (dev == (config != null) || (port != null && !dev)) {
            return Optional.empty(); // exactly one of --dev and --config, and --port only with --dev: picocli says so
        }
        try {
            return Optional.of(new ServeArguments(dev, config == null ? null : Path.of(config),
                    port == null ? null : Integer.valueOf(port)));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    // Values picocli could read differently (an option name, an @argument-file, nothing) are left to it.
    private static boolean plainValue(String value) {
        return value != null && !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@")
                && value.indexOf('\0') < 0;
    }
}
