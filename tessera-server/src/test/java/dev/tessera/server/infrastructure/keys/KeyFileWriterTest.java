package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyFileWriterTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final KeyFileWriter writer = new KeyFileWriter(Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir
    Path dir;

    @Test
    void thePemIsWhatBouncyCastlesPemWriterWrote() throws Exception {
        for (java.security.KeyPair pair : java.util.List.of(TestKeys.rsa4096(), TestKeys.ecP256())) {
            java.io.StringWriter expected = new java.io.StringWriter();
            try (org.bouncycastle.util.io.pem.PemWriter pem = new org.bouncycastle.util.io.pem.PemWriter(expected)) {
                pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }

            assertThat(new String(KeyFileWriter.pkcs8Pem(pair), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(expected.toString());
        }
    }

    @Test
    void aGeneratedKeyIsPkcs8PemWithMode0600AndLoadsWithItsSidecar() throws Exception {
        Path keys = dir.resolve("keys");
        KeyFileWriter.WrittenKey written = writer.generate(keys, JWSAlgorithm.PS256, 2048, NOW.plusSeconds(60));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        assertThat(Files.readString(written.file())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(KeyMetadata.sidecarOf(written.file())))
                .contains("\"alg\":\"PS256\"", "\"activatesAt\":\"2030-01-01T00:01:00Z\"");
        try (var entries = Files.list(keys)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("."));
        }

        StoredKey loaded = new KeyDirectory(keys).loadPublished().get(0);
        assertThat(loaded.key().kid()).isEqualTo(written.key().kid());
        assertThat(loaded.key().algorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(loaded.key().activatesAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void anEs256KeyIsOnCurveP256() {
        KeyFileWriter.WrittenKey written = writer.generate(dir, JWSAlgorithm.ES256, 0, NOW);

        assertThat(new KeyDirectory(dir).loadPublished().get(0).key().privateJwk().toECKey().getCurve())
                .isEqualTo(com.nimbusds.jose.jwk.Curve.P_256);
        assertThat(written.file().getFileName().toString()).startsWith("es256-20300101T000000Z-");
    }

    @Test
    void generationRefusesWeakRsaAndNonAsymmetricAlgorithms() {
        assertThatThrownBy(() -> writer.generate(dir, JWSAlgorithm.RS256, 1024, NOW)).hasMessageContaining("between 2048 and 16384 bits, not 1024")
                .isInstanceOf(KeyFileException.class);
        assertThatThrownBy(() -> writer.generate(dir, JWSAlgorithm.HS256, 2048, NOW)).hasMessageContaining("RS256, PS256 or ES256");
    }

    @Test
    void theDevKeyIsA4096BitRs256KeyGeneratedOnlyWhenMissing() throws Exception {
        Path keys = dir.resolve("dev-keys");

        assertThat(writer.ensureDevKey(keys)).isTrue();
        assertThat(writer.ensureDevKey(keys)).isFalse();

        StoredKey key = new KeyDirectory(keys).loadPublished().get(0);
        RSAKey rsa = key.key().privateJwk().toRSAKey();
        assertThat(key.key().algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(rsa.size()).isEqualTo(4096);
        assertThat(rsa.getPublicExponent().decodeToBigInteger()).isEqualTo(BigInteger.valueOf(65537));
        assertThat(key.key().activatesAt()).isEqualTo(NOW);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.file()))).isEqualTo("rw-------");
    }

    @Test
    void theDevKeyHelperReportsABrokenDirectoryInsteadOfAddingAKey() {
        TestKeys.writeKeyFile(dir, "broken.pem", "garbage");

        assertThatThrownBy(() -> writer.ensureDevKey(dir)).hasMessageContaining("broken.pem");
        assertThat(dir.resolve("retired")).doesNotExist();
    }

    @Test
    void theDevKeyHelperAddsAnRs256KeyNextToAnEs256One() {
        writer.generate(dir, JWSAlgorithm.ES256, 0, NOW);

        // 2048 would do, but the helper always writes the production size; this is the second 4096 in the suite.
        assertThat(writer.ensureDevKey(dir)).isTrue();
        assertThat(new KeyDirectory(dir).loadRing().active(JWSAlgorithm.RS256, NOW)).isPresent();
    }
}
