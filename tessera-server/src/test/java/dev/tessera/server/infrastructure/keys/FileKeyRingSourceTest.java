package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.MutableClock;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileKeyRingSourceTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void startFailsClearlyWhenTheDirectoryHasNoUsableKey() {
        assertThatThrownBy(() -> FileKeyRingSource.load(new KeyDirectory(dir), clock))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("holds no key file");

        TestKeys.writeKeyFile(dir, "bad.pem", "not a key");
        assertThatThrownBy(() -> FileKeyRingSource.load(new KeyDirectory(dir), clock))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("bad.pem");
    }

    @Test
    void startFailsWhenNoKeyIsActiveYet() {
        TestKeys.writeKeyFile(dir, "future.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeFile(dir, "future.json", "{\"activatesAt\":\"2031-01-01T00:00:00Z\"}", "rw-r--r--");

        assertThatThrownBy(() -> FileKeyRingSource.load(new KeyDirectory(dir), clock))
                .hasMessageContaining("no key that is active yet").hasMessageContaining("2031-01-01T00:00:00Z");
    }

    @Test
    void aNewKeyFileIsPickedUpWithoutARestart() {
        writeActive("first.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), clock);
        assertThat(source.reloadIfChanged()).isFalse(); // nothing changed, nothing parsed

        writeActive("second.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()));

        assertThat(source.reloadIfChanged()).isTrue();
        assertThat(source.current().published()).hasSize(2);
        assertThat(source.current().active(JWSAlgorithm.ES256, NOW)).isPresent();
    }

    @Test
    void aBrokenNewFileKeepsThePreviousRingInServiceUntilItIsFixed() {
        writeActive("good.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), clock);
        var before = source.current();

        TestKeys.writeKeyFile(dir, "half-copied.pem", "-----BEGIN PRIVATE KEY-----\nMIIE");

        assertThat(source.reloadIfChanged()).isFalse();
        assertThat(source.current()).isSameAs(before);
        assertThat(source.lastProblem()).get().asString().contains("half-copied.pem");

        writeActive("half-copied.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()));

        assertThat(source.reloadIfChanged()).isTrue();
        assertThat(source.current().published()).hasSize(2);
        assertThat(source.lastProblem()).isEmpty();
    }

    @Test
    void aWorldReadableNewFileIsNotLoaded() {
        writeActive("good.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), clock);

        TestKeys.writeFile(dir, "open.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()), "rw-r--r--");

        assertThat(source.reloadIfChanged()).isFalse();
        assertThat(source.current().published()).hasSize(1);
        assertThat(source.lastProblem()).get().asString().contains("chmod 600");
    }

    @Test
    void aRetiredKeyDisappearsFromTheRingAfterReload() throws Exception {
        writeActive("a.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        writeActive("b.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048Second()));
        FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), clock);
        StoredKey a = new KeyDirectory(dir).loadPublished().stream()
                .filter(k -> k.file().getFileName().toString().equals("a.pem")).findFirst().orElseThrow();

        new KeyFileWriter(clock).retire(a);

        assertThat(source.reloadIfChanged()).isTrue();
        assertThat(source.current().published()).extracting(SigningKey::kid).doesNotContain(a.key().kid()).hasSize(1);
        assertThat(Files.exists(dir.resolve("retired/a.pem"))).isTrue();
    }

    @Test
    void removingEveryActiveKeyIsRefusedAndTheOldRingKeepsSigning() throws Exception {
        Path only = writeActive("only.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), clock);

        Files.delete(only);

        assertThat(source.reloadIfChanged()).isFalse();
        assertThat(source.current().active(JWSAlgorithm.RS256, NOW)).isPresent();
    }

    @Test
    void aRefusedChangeIsNotTriedAgainUntilTheDirectoryChangesAgain() throws Exception {
        Path only = writeActive("only.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), clock);
        String before = source.current().published().get(0).kid();
        TestKeys.writeFile(dir, "broken.pem", "-----BEGIN PRIVATE KEY-----\nnot base64\n", "rw-------");
        try (LogCapture warnings = LogCapture.of(FileKeyRingSource.class)) {
            assertThat(source.reloadIfChanged()).as("a broken file").isFalse();
            assertThat(source.reloadIfChanged()).as("the same directory").isFalse();
            assertThat(source.reloadIfChanged()).as("the same directory").isFalse();
            assertThat(warnings.events()).as("reported once, not parsed again").singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("broken.pem"));
        }
        assertThat(source.current().published()).extracting(SigningKey::kid).containsExactly(before);
        Files.delete(dir.resolve("broken.pem"));
        writeActive("another.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048Second()));
        assertThat(source.reloadIfChanged()).isTrue();
        assertThat(source.current().published()).hasSize(2);
        assertThat(Files.exists(only)).isTrue();
    }

    @Test
    void aDirectoryRefusedOnlyBecauseItsKeyActivatesLaterIsLoadedOnceThatKeyIsActive() throws Exception {
        Path only = writeActive("only.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        MutableClock time = new MutableClock(NOW);
        FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), time);
        String before = source.current().published().get(0).kid();
        Files.delete(only);
        Files.delete(dir.resolve("only.json"));
        TestKeys.writeKeyFile(dir, "later.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()));
        TestKeys.writeFile(dir, "later.json", "{\"activatesAt\":\"2030-01-01T01:00:00Z\"}", "rw-r--r--");
        assertThat(source.reloadIfChanged()).as("no key active yet").isFalse();
        assertThat(source.lastProblem()).hasValueSatisfying(p -> assertThat(p).contains("2030-01-01T01:00:00Z"));

        time.advance(Duration.ofMinutes(59));
        assertThat(source.reloadIfChanged()).as("still before the activation: not parsed again").isFalse();
        assertThat(source.current().published()).extracting(SigningKey::kid).containsExactly(before);

        time.advance(Duration.ofMinutes(1));
        assertThat(source.reloadIfChanged()).as("the same directory, now with an active key").isTrue();
        assertThat(source.current().active(JWSAlgorithm.ES256, time.instant())).isPresent();
        assertThat(source.current().published()).extracting(SigningKey::kid).doesNotContain(before);
        assertThat(source.lastProblem()).isEmpty();
        assertThat(source.reloadIfChanged()).as("loaded: nothing more to do").isFalse();
    }

    @Test
    void theBackgroundReloaderFollowsTheDirectory() throws Exception {
        writeActive("first.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        try (FileKeyRingSource source = FileKeyRingSource.load(new KeyDirectory(dir), clock)
                .startReloading(Duration.ofMillis(20))) {
            writeActive("second.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()));

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (source.current().published().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(source.current().published()).hasSize(2);
        }
    }

    private Path writeActive(String name, String pem) {
        Path file = TestKeys.writeKeyFile(dir, name, pem);
        String base = name.substring(0, name.lastIndexOf('.'));
        TestKeys.writeFile(dir, base + ".json", "{\"activatesAt\":\"2029-01-01T00:00:00Z\"}", "rw-r--r--");
        return file;
    }
}
