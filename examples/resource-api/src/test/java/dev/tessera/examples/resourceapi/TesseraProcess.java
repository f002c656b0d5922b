package dev.tessera.examples.resourceapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built {@code tessera.jar} running {@code serve --config} as its own OS process, the way the README runs it:
 * own working directory (so the config's relative store and key paths land there), output in a log file next to
 * it. A JVM shutdown hook stops the process even when the test run is aborted.
 */
final class TesseraProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String issuer;
    private final Process process;
    private final Path log;
    private final Thread stopOnExit;

    private TesseraProcess(String name, String issuer, Process process, Path log) {
        this.name = name;
        this.issuer = issuer;
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(process::destroyForcibly, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * The jar the build made; failsafe passes its path. Its manifest's Class-Path needs the {@code lib/} beside it,
     * which only a reactor build with {@code -am} puts there, so say so rather than fail obscurely.
     */
    static Path builtJar() {
        String configured = System.getProperty("tessera.jar");
        Path jar = configured == null ? null : Path.of(configured);
        if (jar == null || !Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
            throw new IllegalStateException("tessera.jar with its lib/ not found at " + configured
                    + "; run with -am (./mvnw -pl examples/resource-api -am verify) so tessera-server is packaged first");
        }
        return jar;
    }

    /**
     * Starts {@code java -jar tessera.jar serve --config config.yaml} in {@code workDir} and waits until
     * {@code /readyz} answers 200.
     *
     * @param environment added to this JVM's environment (the config's {@code ${VAR}} values)
     */
    static TesseraProcess serve(String name, String issuer, Path workDir, Path config, Map<String, String> environment) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = workDir.resolve(name + ".log");
        // Small heap and C1 only: the machine is shared and these servers live for seconds.
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-jar", builtJar().toString(), "serve", "--config", config.toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TesseraProcess started = new TesseraProcess(name, issuer, process, log);
        try {
            started.awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    String issuer() {
        return issuer;
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest readyz = HttpRequest.newBuilder(URI.create(issuer + "/readyz")).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n" + logTail());
            }
            try {
                if (HTTP.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " was not ready at " + issuer + " within " + timeout + ":\n" + logTail());
    }

    /** The end of the server's log, for failure messages; Tessera never logs tokens or secrets. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: Tessera's shutdown hook closes the store cleanly
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
