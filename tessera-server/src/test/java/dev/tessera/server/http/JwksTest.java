package dev.tessera.server.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.infrastructure.keys.FileKeyRingSource;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /.well-known/jwks.json (RFC 7517): every published public key, described fully, never a private part. */
class JwksTest {
    private static final String JWKS = "/.well-known/jwks.json";

    static TesseraTestServer server;
    static TokenClient.Response jwks;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
        jwks = server.tokenClient().get(JWKS, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jwksIsServedAsAJwkSet() {
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.header("Content-Type")).matches("application/(jwk-set\\+)?json.*");
        assertThat(keys()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void everyKeyHasKidKtyAlgAndUseSig() {
        for (Map<String, Object> key : keys()) {
            assertThat(key).as(key.toString()).containsKeys("kid", "kty", "alg");
            assertThat(key).as(key.toString()).containsEntry("use", "sig");
            assertThat(key.get("alg")).isIn("RS256", "PS256", "ES256");
        }
    }

    @Test
    void kidsAreDistinct() {
        List<Object> kids = keys().stream().map(key -> key.get("kid")).toList();
        assertThat(kids).doesNotHaveDuplicates();
    }

    @Test
    void noKeyCarriesPrivateOrSymmetricMaterial() {
        for (Map<String, Object> key : keys()) {
            assertThat(key).as(key.toString()).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "oth", "k");
            assertThat(key.get("kty")).isIn("RSA", "EC");
        }
    }

    @Test
    void kidIsTheRfc7638Thumbprint() throws Exception {
        for (JWK key : com.nimbusds.jose.jwk.JWKSet.parse(jwks.body()).getKeys()) {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
        }
    }

    @Test
    void tokensAreSignedWithAPublishedKeyNamedByKid() throws Exception {
        TokenClient.Response tokens = server.tokenClient().token(TesseraTestServer.SERVICE,
                TesseraTestServer.SERVICE_SECRET, Map.of("grant_type", "client_credentials", "scope", "api.read"));
        SignedJWT token = SignedJWT.parse(tokens.string("access_token"));

        assertThat(keys()).extracting(key -> key.get("kid")).contains(token.getHeader().getKeyID());
    }

    @Test
    void aKeyAddedToTheKeyDirectoryIsPublishedAfterReloadAndThePreviousKeyStays(@TempDir Path keyDir)
            throws Exception {
        KeyFileWriter writer = new KeyFileWriter(Clock.systemUTC());
        String firstKid = writer.generate(keyDir, JWSAlgorithm.RS256, 2048, Instant.EPOCH).key().kid();
        try (TesseraTestServer own = TesseraTestServer.start(config -> config.withKeys(KeysConfig.defaults().withDir(keyDir)))) {
            String issuedBefore = SignedJWT.parse(own.tokenClient().token(TesseraTestServer.SERVICE,
                    TesseraTestServer.SERVICE_SECRET, Map.of("grant_type", "client_credentials"))
                    .string("access_token")).getHeader().getKeyID();
            assertThat(issuedBefore).isEqualTo(firstKid);

            String secondKid = writer.generate(keyDir, JWSAlgorithm.RS256, 2048, own.clock().instant()).key().kid();
            ((FileKeyRingSource) own.app().keys()).reloadIfChanged();

            TokenClient.Response after = own.tokenClient().get(JWKS, null);
            assertThat(kids(after)).contains(firstKid, secondKid);
            String issuedAfter = SignedJWT.parse(own.tokenClient().token(TesseraTestServer.SERVICE,
                    TesseraTestServer.SERVICE_SECRET, Map.of("grant_type", "client_credentials"))
                    .string("access_token")).getHeader().getKeyID();
            assertThat(issuedAfter).as("the newer active key signs").isEqualTo(secondKid);
        }
    }

    private static List<Map<String, Object>> keys() {
        return keysOf(jwks);
    }

    private static List<Object> kids(TokenClient.Response response) {
        return keysOf(response).stream().map(key -> key.get("kid")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> keysOf(TokenClient.Response response) {
        assertThat(response.json().get("keys")).isInstanceOf(List.class);
        return (List<Map<String, Object>>) response.json().get("keys");
    }
}
