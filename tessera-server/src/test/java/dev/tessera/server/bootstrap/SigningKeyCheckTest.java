package dev.tessera.server.bootstrap;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.HttpConfig;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Startup refuses a client whose idTokenSigningAlg, accessTokenSigningAlg or userinfoSignedResponseAlg has no
 * active key, instead of failing its first ID token, access token or userinfo answer.
 */
class SigningKeyCheckTest {
    @TempDir
    Path dir;

    private TesseraConfig config(KeysConfig keys, ClientConfig... clients) {
        return TesseraConfig.defaults("http://127.0.0.1:0")
                .withHttp(new HttpConfig("127.0.0.1", 0))
                .withStorage(StorageConfig.h2(dir.resolve("data/tessera")))
                .withKeys(keys)
                .withClients(List.of(clients));
    }

    private static ClientConfig client(String id, String alg) {
        return ClientConfig.builder(id).secret("a-long-enough-secret-for-tests-0123456789")
                .redirectUris(List.of("https://" + id + ".example/cb")).idTokenSigningAlg(alg).build();
    }

    private Path keysWith(JWSAlgorithm... algorithms) {
        Path keys = dir.resolve("keys");
        for (JWSAlgorithm alg : algorithms) {
            new KeyFileWriter(Clock.systemUTC()).generate(keys, alg, 2048, Instant.EPOCH);
        }
        return keys;
    }

    @Test
    void startupRefusesAClientWhoseIdTokenSigningAlgHasNoKeyAndNamesClientAndAlgorithm() {
        KeysConfig keys = KeysConfig.defaults().withDir(keysWith(JWSAlgorithm.RS256));

        assertThatThrownBy(() -> TesseraApp.start(config(keys, client("web", "RS256"), client("mobile", "ES256"),
                client("partner", "PS256")), Clock.systemUTC()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client mobile has idTokenSigningAlg ES256")
                .hasMessageContaining("client partner has idTokenSigningAlg PS256")
                .hasMessageContaining("tessera keys generate --alg ES256")
                .hasMessageNotContaining("client web");
    }

    @Test
    void startupRefusesAClientWhoseUserinfoSigningAlgHasNoKey() {
        KeysConfig keys = KeysConfig.defaults().withDir(keysWith(JWSAlgorithm.RS256));
        ClientConfig signedUserinfo = client("web", "RS256").toBuilder().userinfoSignedResponseAlg("ES256").build();

        assertThatThrownBy(() -> TesseraApp.start(config(keys, signedUserinfo), Clock.systemUTC()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client web has userinfoSignedResponseAlg ES256")
                .hasMessageContaining("tessera keys generate --alg ES256")
                .hasMessageNotContaining("idTokenSigningAlg RS256");
    }

    @Test
    void startupRefusesAClientWhoseAccessTokenSigningAlgHasNoKey() {
        KeysConfig keys = KeysConfig.defaults().withDir(keysWith(JWSAlgorithm.RS256));
        ClientConfig service = ClientConfig.builder("service").secret("a-long-enough-secret-for-tests-0123456789")
                .grantTypes(List.of("client_credentials")).accessTokenSigningAlg("ES256").build();

        assertThatThrownBy(() -> TesseraApp.start(config(keys, service), Clock.systemUTC()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client service has accessTokenSigningAlg ES256, but " + keys.dir()
                        + " has no active ES256 key")
                .hasMessageContaining("tessera keys generate --alg ES256")
                .hasMessageNotContaining("idTokenSigningAlg");
    }

    @Test
    void anOpaqueTokenClientNeedsNoKeyForItsAccessTokenSigningAlg() {
        KeysConfig keys = KeysConfig.defaults().withDir(keysWith(JWSAlgorithm.RS256));
        ClientConfig opaque = ClientConfig.builder("service").secret("a-long-enough-secret-for-tests-0123456789")
                .grantTypes(List.of("client_credentials")).accessTokenSigningAlg("PS256").accessTokenFormat("opaque")
                .build();

        try (TesseraApp app = TesseraApp.start(config(keys, opaque), Clock.systemUTC())) {
            assertThat(app.port()).isPositive();
        }
    }

    @Test
    void startupAcceptsClientsWhoseAlgorithmsAllHaveAnActiveKey() {
        KeysConfig keys = KeysConfig.defaults().withDir(keysWith(JWSAlgorithm.RS256, JWSAlgorithm.ES256));

        try (TesseraApp app = TesseraApp.start(config(keys, client("web", "RS256"), client("mobile", "ES256")),
                Clock.systemUTC())) {
            assertThat(app.port()).isPositive();
        }
    }

    @Test
    void generatedKeysCoverRs256ButNoOtherAlgorithm() {
        KeysConfig generate = KeysConfig.defaults().withDir(dir.resolve("generated")).withGenerate(true);
        try (TesseraApp app = TesseraApp.start(config(generate, client("web", "RS256")), Clock.systemUTC())) {
            assertThat(app.port()).isPositive();
        }

        assertThatThrownBy(() -> TesseraApp.start(config(generate, client("mobile", "ES256")), Clock.systemUTC()).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client mobile has idTokenSigningAlg ES256");
    }

    @Test
    void aBrokenKeyFileLoadedWhileTheStoreOpensStopsTheStartWithItsOwnMessageAndClosesTheStore() {
        Path keys = keysWith(JWSAlgorithm.RS256);
        dev.tessera.server.testsupport.TestKeys.writeKeyFile(keys, "broken.pem", "not a key");
        TesseraConfig config = config(KeysConfig.defaults().withDir(keys), client("web", "RS256"));

        assertThatThrownBy(() -> TesseraApp.start(config, Clock.systemUTC()).close())
                .isInstanceOf(dev.tessera.server.infrastructure.keys.KeyFileException.class)
                .hasMessageContaining("broken.pem holds no PEM private key");

        // The failed start closed the embedded store: once the file is gone, the next start opens it.
        assertThat(keys.resolve("broken.pem").toFile().delete()).isTrue();
        try (TesseraApp app = TesseraApp.start(config, Clock.systemUTC())) {
            assertThat(app.port()).isPositive();
        }
    }
}
