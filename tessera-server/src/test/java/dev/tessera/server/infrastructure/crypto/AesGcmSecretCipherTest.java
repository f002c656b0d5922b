package dev.tessera.server.infrastructure.crypto;

import dev.tessera.server.application.port.SecretCipher.SealedSecretException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesGcmSecretCipherTest {
    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private static AesGcmSecretCipher cipherWithRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new AesGcmSecretCipher(() -> key);
    }

    @Test
    void aSealedSecretOpensForItsContextAndShowsNothingOfTheSecret() {
        AesGcmSecretCipher cipher = cipherWithRandomKey();

        String sealed = cipher.seal(SECRET, "user-1");

        assertThat(cipher.open(sealed, "user-1")).isEqualTo(SECRET);
        assertThat(sealed).startsWith("v1.").doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET))
                .doesNotContain(new String(SECRET, StandardCharsets.US_ASCII));
    }

    @Test
    void everySealingUsesAFreshIv() {
        AesGcmSecretCipher cipher = cipherWithRandomKey();

        assertThat(cipher.seal(SECRET, "user-1")).isNotEqualTo(cipher.seal(SECRET, "user-1"));
    }

    @Test
    void aValueMovedToAnotherUserDoesNotOpen() {
        AesGcmSecretCipher cipher = cipherWithRandomKey();
        String sealed = cipher.seal(SECRET, "user-1");

        assertThatThrownBy(() -> cipher.open(sealed, "user-2")).isInstanceOf(SealedSecretException.class);
    }

    @Test
    void anotherKeyIsNamedAsSuch() {
        String sealed = cipherWithRandomKey().seal(SECRET, "user-1");

        assertThatThrownBy(() -> cipherWithRandomKey().open(sealed, "user-1"))
                .isInstanceOf(SealedSecretException.class).hasMessageContaining("another key");
    }

    @Test
    void aTamperedValueDoesNotOpen() {
        AesGcmSecretCipher cipher = cipherWithRandomKey();
        String sealed = cipher.seal(SECRET, "user-1");
        char last = sealed.charAt(sealed.length() - 1);
        String tampered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThatThrownBy(() -> cipher.open(tampered, "user-1")).isInstanceOf(SealedSecretException.class);
        for (String broken : List.of("", "v1", "v2.a.b.c", "v1.a.b", "v1.x.%%%.y", "plain-secret")) {
            assertThatThrownBy(() -> cipher.open(broken, "user-1")).as(broken).isInstanceOf(SealedSecretException.class);
        }
    }

    @Test
    void aDerivedKeyIsTheSameForTheSameMasterKeyAndPurposeOnly() {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        String sealed = AesGcmSecretCipher.derivedFrom(master, "tessera totp secrets v1").seal(SECRET, "u");

        assertThat(AesGcmSecretCipher.derivedFrom(master.clone(), "tessera totp secrets v1").open(sealed, "u"))
                .isEqualTo(SECRET);
        assertThatThrownBy(() -> AesGcmSecretCipher.derivedFrom(master, "another purpose").open(sealed, "u"))
                .isInstanceOf(SealedSecretException.class);
        assertThatThrownBy(() -> new AesGcmSecretCipher(() -> master).open(sealed, "u"))
                .as("the master key itself does not open it").isInstanceOf(SealedSecretException.class);
    }

    @Test
    void theKeyFileIsMadeOnceWithOwnerOnlyPermissions(@TempDir Path dir) throws Exception {
        SecretKeyFile file = new SecretKeyFile(dir.resolve("keys").resolve("totp-secrets.aes256"));

        byte[] key = file.readOrCreate();

        assertThat(key).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(new SecretKeyFile(file.path()).readOrCreate()).isEqualTo(key);
        String sealed = AesGcmSecretCipher.overKeyFile(file).seal(SECRET, "u");
        assertThat(AesGcmSecretCipher.overKeyFile(new SecretKeyFile(file.path())).open(sealed, "u")).isEqualTo(SECRET);
    }

    @Test
    void instancesRacingToMakeTheKeyFileAllGetTheSameKey(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("totp-secrets.aes256");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<byte[]>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racers.add(() -> new SecretKeyFile(path).readOrCreate());
            }
            List<byte[]> keys = new ArrayList<>();
            for (Future<byte[]> key : pool.invokeAll(racers)) {
                keys.add(key.get());
            }
            assertThat(keys).allSatisfy(key -> assertThat(key).isEqualTo(keys.get(0)));
        } finally {
            pool.shutdownNow();
        }
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("totp-secrets.aes256");
        }
    }

    @Test
    void aKeyFileReadableByOthersIsRefused(@TempDir Path dir) throws Exception {
        SecretKeyFile file = new SecretKeyFile(dir.resolve("totp-secrets.aes256"));
        file.readOrCreate();
        Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(file::read).isInstanceOf(IllegalStateException.class).hasMessageContaining("chmod 600");
    }
}
