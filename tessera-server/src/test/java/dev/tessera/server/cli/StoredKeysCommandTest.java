package dev.tessera.server.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `tessera keys … --config` with keys.source: store, against a real H2 file store. */
class StoredKeysCommandTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Pattern KID = Pattern.compile("kid (\\S+)\\)");

    @TempDir
    Path dir;
    private Path config;
    private final String kek = randomKek();

    private record Run(int exitCode, String out, String err) { }

    private static String randomKek() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("tessera.yaml");
        Files.writeString(config, """
                issuer: https://id.example.com
                storage: { type: h2, path: %s }
                keys:
                  source: store
                  encryptionKey: ${TESSERA_KEY_ENCRYPTION_KEY}
                """.formatted(dir.resolve("data/tessera")));
    }

    private Run run(Instant now, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new KeysCommand(Clock.fixed(now, ZoneOffset.UTC), env));
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    private Run run(Instant now, String... args) {
        return run(now, Map.of("TESSERA_KEY_ENCRYPTION_KEY", kek), args);
    }

    private static String kidOf(Run run) {
        Matcher matcher = KID.matcher(run.out());
        assertThat(matcher.find()).as(run.out() + run.err()).isTrue();
        return matcher.group(1);
    }

    @Test
    void generateRotateAndRetireWorkOnTheKeysInTheDatabase() {
        Run generated = run(NOW, "generate", "--alg", "ES256", "--config", config.toString());
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        String first = kidOf(generated);
        assertThat(dir.resolve("keys")).as("no key directory is written").doesNotExist();

        Run rotated = run(NOW, "rotate", "--alg", "ES256", "--activate-in", "24h", "--config", config.toString());
        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        String second = kidOf(rotated);
        assertThat(rotated.out()).contains("signs ES256 tokens from 2030-01-02T00:00:00Z", "keys retire --config");

        Run listed = run(NOW, "list", "--config", config.toString());
        assertThat(listed.out()).containsPattern(Pattern.quote(first) + "\\s+ES256\\s+active")
                .containsPattern(Pattern.quote(second) + "\\s+ES256\\s+pending\\s+2030-01-02T00:00:00Z");

        Run refused = run(NOW, "retire", "--config", config.toString(), "--", first);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("only active ES256 key");

        Instant later = NOW.plus(Duration.ofDays(2));
        Run retired = run(later, "retire", "--config", config.toString(), "--", first);
        assertThat(retired.exitCode()).as(retired.err()).isZero();
        assertThat(retired.out()).contains("Retired " + first).doesNotContain("Warning");
        assertThat(run(later, "list", "--config", config.toString()).out())
                .containsPattern(Pattern.quote(first) + "\\s+ES256\\s+retired")
                .containsPattern(Pattern.quote(second) + "\\s+ES256\\s+active");
    }

    @Test
    void rewrapMovesTheKeysToTheNewKeyEncryptionKeyAndTheOldOneNoLongerOpensThem() {
        assertThat(run(NOW, "generate", "--alg", "ES256", "--config", config.toString()).exitCode()).isZero();
        String next = randomKek();

        Run missing = run(NOW, "rewrap", "--config", config.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("TESSERA_NEW_KEY_ENCRYPTION_KEY is not set");

        Run rewrapped = run(NOW, Map.of("TESSERA_KEY_ENCRYPTION_KEY", kek, "TESSERA_NEW_KEY_ENCRYPTION_KEY", next),
                "rewrap", "--config", config.toString());
        assertThat(rewrapped.exitCode()).as(rewrapped.err()).isZero();
        assertThat(rewrapped.out()).contains("Re-sealed 1 signing key under the new key").doesNotContain(next, kek);

        Run withOld = run(NOW, "list", "--config", config.toString());
        assertThat(withOld.exitCode()).isEqualTo(1);
        assertThat(withOld.err()).contains("keys.encryptionKey does not open signing key").doesNotContain(kek);
        Run withNew = run(NOW, Map.of("TESSERA_KEY_ENCRYPTION_KEY", next), "list", "--config", config.toString());
        assertThat(withNew.exitCode()).as(withNew.err()).isZero();
        assertThat(withNew.out()).contains("active");
    }

    @Test
    void aConfigWithoutTheEncryptionKeyIsRefusedWithTheKeyPath() {
        Run result = run(NOW, Map.of(), "list", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("keys.encryptionKey: environment variable TESSERA_KEY_ENCRYPTION_KEY is not set");
    }
}
