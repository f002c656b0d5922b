package dev.tessera.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TesseraCommandTest {
    @Test
    void aServerStartBuildsOnlyTheServeCommandAndEverythingElseGetsThemAll() {
        assertThat(TesseraCommand.commandLineFor(new String[] {"serve", "--dev"}).getSubcommands())
                .containsOnlyKeys("serve");
        assertThat(TesseraCommand.commandLineFor(new String[] {"keys", "list"}).getSubcommands())
                .containsOnlyKeys("serve", "keys", "clients", "users", "cds-training");
        assertThat(TesseraCommand.commandLineFor(new String[0]).getSubcommands())
                .containsKeys("serve", "keys", "clients", "users");
    }

    @Test
    void serveAnswersAsBeforeWhenItIsTheOnlySubCommandBuilt() {
        for (String[] args : new String[][] {{"serve", "--help"}, {"serve", "--no-such-option"}, {"serve"}}) {
            assertThat(run(TesseraCommand.commandLineFor(args), args))
                    .isEqualTo(run(TesseraCommand.commandLine(), args));
        }
    }

    private static String run(CommandLine cli, String[] args) {
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute(args);
        return code + "\n" + out;
    }
}
