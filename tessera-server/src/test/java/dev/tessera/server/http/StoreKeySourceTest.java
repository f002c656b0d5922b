package dev.tessera.server.http;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.bootstrap.TesseraApp;
import dev.tessera.server.config.ConfigException;
import dev.tessera.server.config.ConfigLoader;
import dev.tessera.server.config.HttpConfig;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.testsupport.MutableClock;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code keys.source: store}: the server signs with keys sealed in its database, and refuses a wrong key-encryption key. */
class StoreKeySourceTest {
    @TempDir
    Path dataDir;

    private static String randomKek() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private TesseraConfig config(KeysConfig keys) {
        return TesseraTestServer.standard("http://127.0.0.1:0", dataDir)
                .withHttp(new HttpConfig("127.0.0.1", 0, java.util.List.of()))
                .withKeys(keys);
    }

    private static KeysConfig inStore(String kek, Path unusedDir) {
        return KeysConfig.defaults().withDir(unusedDir).inStore(kek);
    }

    @Test
    void aServerWithKeysInTheStoreSignsTokensThatVerifyAgainstItsJwksAndWritesNoKeyFile() throws Exception {
        Path keyDir = dataDir.resolve("no-keys-here");
        try (TesseraApp app = TesseraApp.start(config(inStore(randomKek(), keyDir).withGenerate(true)),
                MutableClock.startingNow())) {
            TokenClient client = TokenClient.forIssuer("http://127.0.0.1:" + app.port());
            SignedJWT token = SignedJWT.parse(client.token(TesseraTestServer.SERVICE, TesseraTestServer.SERVICE_SECRET,
                    Map.of("grant_type", "client_credentials")).string("access_token"));
            JWKSet jwks = JWKSet.parse(client.get("/.well-known/jwks.json", null).body());

            RSAKey key = (RSAKey) jwks.getKeyByKeyId(token.getHeader().getKeyID());
            assertThat(key).as("the signing key is published").isNotNull();
            assertThat(key.isPrivate()).isFalse();
            assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
        }
        assertThat(Files.exists(keyDir)).as("nothing written to keys.dir").isFalse();
    }

    @Test
    void aWrongKeyEncryptionKeyStopsStartupNamingTheSettingAndTheKey() {
        String kid;
        try (TesseraApp first = TesseraApp.start(config(inStore(randomKek(), dataDir).withGenerate(true)),
                MutableClock.startingNow())) {
            kid = first.keys().current().published().get(0).kid();
        }

        assertThatThrownBy(() -> TesseraApp.start(config(inStore(randomKek(), dataDir).withGenerate(true)),
                MutableClock.startingNow()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keys.encryptionKey does not open signing key " + kid)
                .hasMessageContaining("tag does not verify");
    }

    @Test
    void anEmptyStoreWithoutGenerateOrRotationRefusesToStartAndSaysHowToAddAKey() {
        assertThatThrownBy(() -> TesseraApp.start(config(inStore(randomKek(), dataDir)), MutableClock.startingNow()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no signing key")
                .hasMessageContaining("tessera keys generate --config");
    }

    @Test
    void aMissingOrMalformedEncryptionKeyIsAConfigurationProblemNamingTheKey() {
        String yaml = """
                issuer: https://id.example.com
                keys:
                  source: store
                  encryptionKey: ${TESSERA_KEY_ENCRYPTION_KEY}
                """;
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys.encryptionKey: environment variable TESSERA_KEY_ENCRYPTION_KEY is not set");
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, Map.of("TESSERA_KEY_ENCRYPTION_KEY", shortKey)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys.encryptionKey: must be 32 random bytes in base64")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> ConfigLoader.parse("""
                issuer: https://id.example.com
                keys: { source: store }
                """, Map.of())).hasMessageContaining("keys.encryptionKey: is required with keys.source: store");
    }

    @Test
    void theEncryptionKeyMayComeFromAFile() throws Exception {
        Path file = dataDir.resolve("kek");
        Files.writeString(file, randomKek() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (TesseraApp app = TesseraApp.start(config(inStore("file:" + file, dataDir).withGenerate(true)),
                MutableClock.startingNow())) {
            assertThat(app.keys().current().published()).hasSize(1);
        }
        Files.writeString(file, "not a key");
        assertThatThrownBy(() -> TesseraApp.start(config(inStore("file:" + file, dataDir)), MutableClock.startingNow()).close())
                .hasMessageContaining("keys.encryptionKey (" + file + ") must be 32 random bytes in base64");
    }

    @Test
    void anEncryptionKeyFileEveryUserMayReadStopsStartupAsAWorldReadableSigningKeyWould() throws Exception {
        Path file = dataDir.resolve("kek");
        String kek = randomKek();
        Files.writeString(file, kek + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> TesseraApp.start(config(inStore("file:" + file, dataDir).withGenerate(true)),
                MutableClock.startingNow()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("keys.encryptionKey: " + file + " is readable by every user of this machine;"
                        + " restrict it with `chmod 600 " + file + "`")
                .hasMessageNotContaining(kek);

        // group read is allowed, as for signing keys: a Kubernetes Secret mounted 0440 with fsGroup
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        try (TesseraApp app = TesseraApp.start(config(inStore("file:" + file, dataDir).withGenerate(true)),
                MutableClock.startingNow())) {
            assertThat(app.keys().current().published()).hasSize(1);
        }
    }

    @Test
    void rotationNeedsTheStoreAndAPrePublishShorterThanThePeriod() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                issuer: https://id.example.com
                keys:
                  rotation: { every: 90d, prePublish: 7d }
                """, Map.of())).hasMessageContaining("keys.rotation: needs keys.source: store");
        assertThatThrownBy(() -> ConfigLoader.parse("""
                issuer: https://id.example.com
                keys:
                  source: store
                  encryptionKey: %s
                  rotation: { every: 7d, prePublish: 7d }
                """.formatted(randomKek()), Map.of())).hasMessageContaining("keys.rotation.prePublish: must be shorter than keys.rotation.every");
        TesseraConfig parsed = ConfigLoader.parse("""
                issuer: https://id.example.com
                keys:
                  source: store
                  encryptionKey: %s
                  rotation: { every: 30d }
                """.formatted(randomKek()), Map.of());
        assertThat(parsed.keys().rotation().every()).hasDays(30);
        assertThat(parsed.keys().rotation().prePublish()).as("default").hasDays(7);
        assertThat(parsed.keys().toString()).contains("[redacted]");
    }

    @Test
    void theReloadIntervalAppliesToTheStoreOnlyAndStaysWithinAMinute() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                issuer: https://id.example.com
                keys: { reloadInterval: 5s }
                """, Map.of())).hasMessageContaining("keys.reloadInterval: applies to keys.source: store only");
        for (String tooShortOrLong : new String[] {"500ms", "61s"}) {
            assertThatThrownBy(() -> ConfigLoader.parse("""
                    issuer: https://id.example.com
                    keys: { source: store, encryptionKey: %s, reloadInterval: %s }
                    """.formatted(randomKek(), tooShortOrLong), Map.of()))
                    .hasMessageContaining("keys.reloadInterval: must be between 1s and 60s");
        }
        String store = "issuer: https://id.example.com\nkeys: { source: store, encryptionKey: %s%s }\n";
        assertThat(ConfigLoader.parse(store.formatted(randomKek(), ""), Map.of()).keys().reloadEvery())
                .as("default").hasSeconds(30);
        assertThat(ConfigLoader.parse(store.formatted(randomKek(), ", reloadInterval: 2s"), Map.of()).keys().reloadEvery())
                .hasSeconds(2);
    }
}
