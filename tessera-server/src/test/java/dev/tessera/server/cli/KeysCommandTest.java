package dev.tessera.server.cli;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.infrastructure.keys.KeyDirectory;
import dev.tessera.server.infrastructure.keys.StoredKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        return runAt(NOW, args);
    }

    private Run runAt(Instant now, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new KeysCommand(Clock.fixed(now, ZoneOffset.UTC)));
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpIsAvailableOnEveryCommand() {
        assertThat(run("--help").out()).contains("generate", "list", "rotate", "retire");
        assertThat(run("generate", "--help").out()).contains("--alg", "--bits", "--dir", "--activate-at", "+24h");
        assertThat(run("list", "--help").out()).contains("--dir", "pending");
        assertThat(run("rotate", "--help").out()).contains("--activate-in", "24h");
        assertThat(run("retire", "--help").out()).contains("KID", "--force");
        assertThat(run("retire", "--help").exitCode()).isZero();
    }

    @Test
    void keysWithoutASubcommandIsAUsageError() {
        Run result = run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing subcommand");
    }

    @Test
    void generateWritesAnActiveKeyWithMode0600ThatListShows() throws Exception {
        Run generated = run("generate", "--alg", "es256", "--dir", dir.toString());

        assertThat(generated.exitCode()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("ES256, P-256, kid ", "Active now");
        StoredKey key = new KeyDirectory(dir).loadPublished().get(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.file()))).isEqualTo("rw-------");

        Run listed = run("list", "--dir", dir.toString());
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).containsPattern(key.key().kid() + "\\s+ES256\\s+active\\s+2030-01-01T00:00:00Z");
    }

    @Test
    void generateWithALaterActivationPublishesAPendingKey() {
        Run generated = run("generate", "--alg", "PS256", "--bits", "2048", "--activate-at", "+24h", "--dir", dir.toString());

        assertThat(generated.exitCode()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("PS256, 2048 bits", "signs from 2030-01-02T00:00:00Z");
        assertThat(run("list", "--dir", dir.toString()).out()).containsPattern("PS256\\s+pending\\s+2030-01-02T00:00:00Z");
    }

    @Test
    void generateAcceptsAnIsoInstant() {
        Run generated = run("generate", "--alg", "ES256", "--activate-at", "2030-02-01T12:00:00Z", "--dir", dir.toString());

        assertThat(generated.exitCode()).isZero();
        assertThat(new KeyDirectory(dir).loadPublished().get(0).key().activatesAt()).isEqualTo(Instant.parse("2030-02-01T12:00:00Z"));
    }

    @Test
    void generateRefusesHmacNoneAndBadArgumentsWithUsageErrors() {
        for (List<String> args : List.of(
                List.of("generate", "--alg", "HS256"),
                List.of("generate", "--alg", "none"),
                List.of("generate", "--alg", "RS256", "--bits", "1024"),
                List.of("generate", "--alg", "ES256", "--bits", "2048"),
                List.of("generate", "--activate-at", "tomorrow"))) {
            List<String> withDir = new java.util.ArrayList<>(args);
            withDir.addAll(List.of("--dir", dir.toString()));
            Run result = run(withDir.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(result.err()).as(String.join(" ", args)).isNotBlank();
        }
        assertThat(run("generate", "--alg", "HS256", "--dir", dir.toString()).err()).contains("use RS256, ES256 or PS256");
        assertThat(run("generate", "--bits", "1024", "--dir", dir.toString()).err()).contains("between 2048 and 16384");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void rotatePrePublishesAKeyThatActivatesLaterAndNamesTheKeyToRetire() {
        run("generate", "--alg", "ES256", "--dir", dir.toString());
        String oldKid = new KeyDirectory(dir).loadPublished().get(0).key().kid();

        Run rotated = run("rotate", "--alg", "ES256", "--activate-in", "1h", "--dir", dir.toString());

        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("signs ES256 tokens from 2030-01-01T01:00:00Z", "tessera keys retire --dir " + dir + " -- " + oldKid);
        assertThat(run("list", "--dir", dir.toString()).out())
                .containsPattern(oldKid + "\\s+ES256\\s+active").containsPattern("ES256\\s+pending\\s+2030-01-01T01:00:00Z");
        assertThat(runAt(NOW.plusSeconds(3600), "list", "--dir", dir.toString()).out())
                .containsPattern(oldKid + "\\s+ES256\\s+superseded");
    }

    @Test
    void rotateDefaultsToADayAhead() {
        run("generate", "--alg", "ES256", "--dir", dir.toString());

        assertThat(run("rotate", "--alg", "ES256", "--dir", dir.toString()).out()).contains("from 2030-01-02T00:00:00Z");
    }

    @Test
    void retireRefusesTheOnlyActiveKeyUnlessForced() {
        run("generate", "--alg", "ES256", "--dir", dir.toString());
        String kid = new KeyDirectory(dir).loadPublished().get(0).key().kid();

        Run refused = run("retire", "--dir", dir.toString(), "--", kid);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("only active ES256 key", "--force");
        assertThat(new KeyDirectory(dir).loadPublished()).hasSize(1);

        Run forced = run("retire", "--force", "--dir", dir.toString(), "--", kid);
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("no ES256 key is active");
        assertThat(new KeyDirectory(dir).loadPublished()).isEmpty();
        assertThat(run("list", "--dir", dir.toString()).out()).containsPattern(kid + "\\s+ES256\\s+retired");
    }

    @Test
    void retiringASupersededKeyNeedsNoForceAndStopsPublishingIt() {
        run("generate", "--alg", "ES256", "--activate-at", "2029-01-01T00:00:00Z", "--dir", dir.toString());
        String oldKid = new KeyDirectory(dir).loadPublished().get(0).key().kid();
        run("generate", "--alg", "ES256", "--dir", dir.toString());

        // As rotate prints it: "--" first, since a kid may start with '-'.
        Run retired = run("retire", "--dir", dir.toString(), "--", oldKid);

        assertThat(retired.exitCode()).as(retired.err()).isZero();
        assertThat(new KeyDirectory(dir).loadRing().byKid(oldKid)).isEmpty();
        assertThat(new KeyDirectory(dir).loadRing().active(JWSAlgorithm.ES256, NOW)).isPresent();
        assertThat(Files.exists(dir.resolve("retired"))).isTrue();
    }

    @Test
    void retireOfAnUnknownKidFailsWithAHint() {
        run("generate", "--alg", "ES256", "--dir", dir.toString());

        Run result = run("retire", "no-such-kid", "--dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no published key has kid no-such-kid", "keys list");
    }

    @Test
    void listOfAMissingOrBrokenDirectoryFailsWithTheReason() throws Exception {
        Run missing = run("list", "--dir", dir.resolve("missing").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");

        Files.writeString(dir.resolve("open.pem"), "x");
        Files.setPosixFilePermissions(dir.resolve("open.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        Run broken = run("list", "--dir", dir.toString());
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.err()).contains("open.pem", "chmod 600");
    }
}
