package dev.tessera.server.cli;

import dev.tessera.server.bootstrap.DevMode;
import dev.tessera.server.bootstrap.TesseraApp;
import dev.tessera.server.config.ConfigException;
import dev.tessera.server.config.ConfigLoader;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.infrastructure.audit.AuditLogFlush;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code tessera serve --dev | --config FILE}: run the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the authorization server.")
public final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--dev", required = true,
                description = "zero-config development server on http://127.0.0.1:8080 with a demo client and user")
        boolean dev;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "production configuration (tessera.yaml)")
        Path config;
    }

    @Option(names = "--port", description = "with --dev: port to listen on (default 8080)")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        if (!mode.dev && port != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port goes with --dev; set http.port in the file");
        }
        return serve(new ServeArguments(mode.dev, mode.config, port), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** Runs the server until a termination signal; the exit code. */
    static int serve(ServeArguments arguments, PrintWriter out, PrintWriter err) throws InterruptedException {
        TesseraConfig config;
        DevMode dev = null;
        try {
            if (arguments.dev()) {
                dev = DevMode.prepare(arguments.port() == null ? 8080 : arguments.port());
                config = dev.config();
            } else {
                config = ConfigLoader.load(arguments.config(), System.getenv());
            }
        } catch (ConfigException e) {
            err.println("tessera: the configuration has problems:");
            e.problems().forEach(problem -> err.println("  " + problem));
            return 2;
        }
        TesseraApp app;
        try {
            app = TesseraApp.start(config, Clock.systemUTC(), dev);
        } catch (RuntimeException e) {
            err.println("tessera: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        boolean draining = TerminationSignals.onTerminate(stopRequested::countDown);
        // Runs at every exit: after a drain it finds the server closed already and only flushes the audit trail;
        // on any other way out (SIGHUP, System.exit elsewhere, no signal handlers) it closes the store cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            AuditLogFlush.atExit(); // the audit trail is written asynchronously: drain it before the JVM ends
            stopRequested.countDown();
        }, "tessera-shutdown"));
        if (dev != null) {
            dev.printWelcome(out, app.port());
        }
        stopRequested.await();
        if (draining) {
            app.drain(config.http().shutdownGrace()); // SIGTERM or Ctrl-C: finish what is in flight, then exit 0
        }
        return 0;
    }
}
