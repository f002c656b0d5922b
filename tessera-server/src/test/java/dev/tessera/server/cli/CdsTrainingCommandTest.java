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
        assertThat(trainingDirectories()).isEqualTo(before);
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
                    .collect(Collectors.toSet());
        }
    }
}
