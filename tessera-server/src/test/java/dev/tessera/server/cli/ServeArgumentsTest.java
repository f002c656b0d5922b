package dev.tessera.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server start skips picocli only for argument shapes that picocli reads to exactly the same values; anything
 * else (mistakes, help, unusual spellings) goes to picocli and gets its answer.
 */
class ServeArgumentsTest {
    @Test
    void eachShapeReadWithoutPicocliMeansWhatPicocliReadsFromIt() {
        List<String[]> usual = List.of(
                new String[] {"serve", "--dev"},
                new String[] {"serve", "--dev", "--port", "8081"},
                new String[] {"serve", "--port", "9000", "--dev"},
                new String[] {"serve", "--dev", "--port=0"},
                new String[] {"serve", "--port=08080", "--dev"},
                new String[] {"serve", "--config", "/etc/tessera/tessera.yaml"},
                new String[] {"serve", "--config=tessera.yaml"},
                new String[] {"serve", "--config", "a file with spaces.yaml"});
        for (String[] args : usual) {
            Optional<ServeArguments> fast = ServeArguments.of(args);
            assertThat(fast).as(String.join(" ", args)).isPresent();
            assertThat(fast.get()).as(String.join(" ", args)).isEqualTo(throughPicocli(args));
        }
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        List<String[]> others = List.of(
                new String[] {"serve"},
                new String[] {"serve", "--help"},
                new String[] {"serve", "-h"},
                new String[] {"serve", "--version"},
                new String[] {"serve", "--dev", "--config", "x.yaml"},     // both modes: picocli refuses
                new String[] {"serve", "--config", "x.yaml", "--port", "1"}, // --port without --dev
                new String[] {"serve", "--dev", "--dev"},
                new String[] {"serve", "--config", "a", "--config", "b"},
                new String[] {"serve", "--dev", "--port", "http"},
                new String[] {"serve", "--dev", "--port", "123456"},
                new String[] {"serve", "--dev", "--port"},
                new String[] {"serve", "--config"},
                new String[] {"serve", "--config="},
                new String[] {"serve", "--config", "--dev"},
                new String[] {"serve", "--config", "@args.txt"},             // picocli's argument files
                new String[] {"serve", "@args.txt"},
                new String[] {"serve", "--dev=true"},
                new String[] {"serve", "--dev", "extra"},
                new String[] {"serve", "--Dev"},
                new String[] {"keys", "list"},
                new String[] {"--version"},
                new String[0]);
        for (String[] args : others) {
            assertThat(ServeArguments.of(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    private static ServeArguments throughPicocli(String[] args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(new TesseraCommand()).addSubcommand(serve).parseArgs(args);
        return new ServeArguments(serve.mode.dev, serve.mode.config, serve.port);
    }
}
