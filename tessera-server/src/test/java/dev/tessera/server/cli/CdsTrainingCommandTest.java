package dev.tessera.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The launchers' class-data sharing step runs this command; a failure there would only make starts slow, silently. */
class CdsTrainingCommandTest {
    @Test
    void runsAThrowawayServerThroughItsPathsAndLeavesNothingBehind() throws IOException {
        Set<Path> before = trainingDirectories();
        StringWriter err = new StringWriter();
        CommandLine commandLine = TesseraCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));

        int exitCode = commandLine.execute("cds-training");

        assertThat(exitCode).as("stderr: %s", err).isZero();
        assertThat(leftAfterOthersFinish(before)).isEmpty();
    }

    /**
     * Training directories that were not there before and are still there once any other run has had time to
     * finish. Other builds on this machine (another worktree's tests, a launcher's first start) train in the same
     * temporary directory; theirs go away when they end, while one this command left behind stays.
     */
    private static Set<Path> leftAfterOthersFinish(Set<Path> before) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Set<Path> added = trainingDirectories();
            added.removeAll(before);
            if (added.isEmpty() || System.nanoTime() > deadline) {
                return added;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return added;
            }
        }
    }

    @Test
    void theLaunchersTwoRunsPrepareAStoreThenRestartOnIt(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path training = dir.resolve("training");
        StringWriter err = new StringWriter();
        CommandLine prepare = TesseraCommand.commandLine();
        prepare.setErr(new PrintWriter(err));

        assertThat(prepare.execute("cds-training", "--prepare", training.toString())).as("stderr: %s", err).isZero();
        Set<Path> made;
        try (Stream<Path> files = Files.walk(training)) {
            made = files.collect(Collectors.toSet());
        }
        assertThat(made).anyMatch(p -> p.toString().endsWith(".mv.db")).anyMatch(p -> p.toString().endsWith(".pem"));

        CommandLine restart = TesseraCommand.commandLine();
        restart.setErr(new PrintWriter(err));
        assertThat(restart.execute("cds-training", "--dir", training.toString())).as("stderr: %s", err).isZero();
        // The restart used the key the first run made rather than generating another.
        try (Stream<Path> files = Files.walk(training)) {
            assertThat(files.filter(p -> p.toString().endsWith(".pem")).count()).isEqualTo(1);
        }

        CommandLine both = TesseraCommand.commandLine();
        both.setErr(new PrintWriter(new StringWriter()));
        assertThat(both.execute("cds-training", "--prepare", training.toString(), "--dir", training.toString())).isEqualTo(2);
    }

    @Test
    void isNotOfferedInTheHelp() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = TesseraCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));

        commandLine.execute("--help");

        assertThat(out.toString()).contains("serve").doesNotContain("cds-training");
    }

    private static Set<Path> trainingDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("tessera-cds-training"))
                    .collect(Collectors.toCollection(java.util.HashSet::new));
        }
    }
}
