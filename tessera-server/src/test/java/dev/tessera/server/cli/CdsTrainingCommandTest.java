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
