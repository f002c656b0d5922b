package dev.tessera.server.http;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ResponseEncryptionConfig;
import dev.tessera.server.http.support.OAuthErrorResponses;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** ID tokens as nested JWTs (OIDC Core §10.2) for clients that registered idTokenEncryption. */
class IdTokenEncryptionTest {
    static final String SECRET = "enc-client-secret-0123456789-0123456789";
    static final String REDIRECT = "https://enc.example.test/cb";
    static RSAKey rsaEncryptionKey;
    static ECKey ecEncryptionKey;
    static HttpServer clientKeys;
    static TesseraTestServer server;

    @BeforeAll
    static void start() throws Exception {
        rsaEncryptionKey = new RSAKeyGenerator(2048).keyUse(KeyUse.ENCRYPTION).keyID("rsa-enc").generate();
        ecEncryptionKey = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).keyID("ec-enc").generate();
        RSAKey signingOnly = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID("rsa-sig").generate();
        String jwks = new JWKSet(List.of(signingOnly.toPublicJWK(), rsaEncryptionKey.toPublicJWK(),
                ecEncryptionKey.toPublicJWK())).toString(true);
        clientKeys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        clientKeys.createContext("/jwks", exchange -> {
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        clientKeys.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/jwks");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        clientKeys.start();
        String jwksUri = "http://127.0.0.1:" + clientKeys.getAddress().getPort() + "/jwks";
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(client("enc-rsa", new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM", jwksUri)));
            clients.add(client("enc-ec", new ResponseEncryptionConfig("ECDH-ES", "A128GCM", jwksUri)));
            clients.add(client("enc-down", new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM",
                    "http://127.0.0.1:1/nothing-listens-here")));
            clients.add(client("enc-moved", new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM",
                    jwksUri.replace("/jwks", "/moved"))));
            return config.withClients(clients);
        });
    }

    private static ClientConfig client(String id, ResponseEncryptionConfig encryption) {
        return ClientConfig.builder(id).secret(SECRET).redirectUris(List.of(REDIRECT)).consent("skip")
                .scopes(List.of("openid", "email")).idTokenEncryption(encryption).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        clientKeys.stop(0);
    }

    private TokenClient.Response signIn(String clientId) {
        return Flows.codeFlow(server, clientId, SECRET, REDIRECT, ALICE, ALICE_PASSWORD, "openid email");
    }

    private SignedJWT verifiedInner(JWEObject jwe) throws Exception {
        assertThat(jwe.getHeader().getContentType()).isEqualTo("JWT");
        SignedJWT inner = jwe.getPayload().toSignedJWT();
        RSAKey serverKey = (RSAKey) JWKSet.load(server.uri().resolve(".well-known/jwks.json").toURL())
                .getKeyByKeyId(inner.getHeader().getKeyID());
        assertThat(inner.verify(new RSASSAVerifier(serverKey))).isTrue();
        return inner;
    }

    @Test
    void rsaOaepClientGetsAnEncryptedIdTokenThatDecryptsToOurSignedToken() throws Exception {
        TokenClient.Response tokens = signIn("enc-rsa");
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        JWEObject jwe = JWEObject.parse(tokens.string("id_token"));
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("RSA-OAEP-256");
        assertThat(jwe.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
        assertThat(jwe.getHeader().getKeyID()).isEqualTo("rsa-enc");
        jwe.decrypt(new RSADecrypter(rsaEncryptionKey));
        SignedJWT inner = verifiedInner(jwe);
        assertThat(inner.getJWTClaimsSet().getAudience()).containsExactly("enc-rsa");
        assertThat(inner.getJWTClaimsSet().getStringClaim("email")).isEqualTo("alice@example.com");
    }

    @Test
    void ecdhClientGetsAnIdTokenEncryptedToItsEcKey() throws Exception {
        TokenClient.Response tokens = signIn("enc-ec");
        JWEObject jwe = JWEObject.parse(tokens.string("id_token"));
        assertThat(jwe.getHeader().getKeyID()).isEqualTo("ec-enc");
        jwe.decrypt(new ECDHDecrypter(ecEncryptionKey));
        assertThat(verifiedInner(jwe).getJWTClaimsSet().getAudience()).containsExactly("enc-ec");
    }

    @Test
    void unreachableClientKeysAreATemporaryErrorNotAPlaintextToken() {
        TokenClient.Response tokens = signIn("enc-down");
        assertThat(tokens.status()).isEqualTo(503);
        assertThat(tokens.error()).isEqualTo("temporarily_unavailable");
        assertThat(tokens.body()).doesNotContain("id_token");
    }

    @Test
    void whyTheClientKeysCouldNotBeFetchedIsLoggedOnceWhereTheErrorIsWritten() {
        TokenClient.Response tokens;
        List<ILoggingEvent> details;
        try (LogCapture log = LogCapture.of(OAuthErrorResponses.class)) {
            tokens = signIn("enc-down");
            details = log.events().stream().filter(e -> e.getFormattedMessage().contains("temporarily_unavailable")).toList();
        }

        assertThat(tokens.status()).isEqualTo(503);
        assertThat(details).hasSize(1);
        assertThat(details.get(0).getFormattedMessage()).contains("POST /token")
                .contains("http://127.0.0.1:1/nothing-listens-here").contains("Connect");
        assertThat(details.get(0).getMDCPropertyMap()).containsEntry("request_id", tokens.header("X-Request-Id"));
        assertThat(tokens.body()).doesNotContain("nothing-listens-here");
    }

    @Test
    void aRedirectingClientJwksIsATemporaryErrorLikeAnUnreachableOne() {
        TokenClient.Response tokens = signIn("enc-moved");

        assertThat(tokens.status()).isEqualTo(503);
        assertThat(tokens.error()).isEqualTo("temporarily_unavailable");
        assertThat(tokens.body()).doesNotContain("id_token");
    }

    @Test
    void clientsWithoutEncryptionStillGetSignedIdTokens() throws Exception {
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        assertThat(tokens.string("id_token").split("\\.")).hasSize(3);
    }
}
