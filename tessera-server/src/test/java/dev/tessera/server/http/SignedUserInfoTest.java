package dev.tessera.server.http;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ResponseEncryptionConfig;
import dev.tessera.server.config.SubjectsConfig;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signed and encrypted userinfo answers (OIDC Core §5.3.2) for clients that registered
 * userinfoSignedResponseAlg / userinfoEncryption, checked the way a relying party would: signature against
 * the published JWKS, decryption with the client's own key, claims against the plain JSON answer.
 */
class SignedUserInfoTest {
    static final String SECRET = "userinfo-jwt-secret-0123456789-0123456789";
    static final String REDIRECT = "https://rp.example.test/cb";
    static final String SCOPE = "openid profile email";
    static RSAKey rsaEncryptionKey;
    static ECKey ecEncryptionKey;
    static HttpServer clientKeys;
    static TesseraTestServer server;

    @BeforeAll
    static void start() throws Exception {
        rsaEncryptionKey = new RSAKeyGenerator(2048).keyUse(KeyUse.ENCRYPTION).keyID("rsa-enc").generate();
        ecEncryptionKey = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).keyID("ec-enc").generate();
        String jwks = new JWKSet(List.of(rsaEncryptionKey.toPublicJWK(), ecEncryptionKey.toPublicJWK())).toString(true);
        String signingOnly = new JWKSet(new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID("rsa-sig").generate()
                .toPublicJWK()).toString(true);
        clientKeys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/jwks", jwks);
        serve("/signing-only", signingOnly);
        clientKeys.start();
        String jwksUri = "http://127.0.0.1:" + clientKeys.getAddress().getPort() + "/jwks";
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(client("ui-json").build());
            clients.add(client("ui-RS256").userinfoSignedResponseAlg("RS256").build());
            clients.add(client("ui-ES256").userinfoSignedResponseAlg("ES256").build());
            clients.add(client("ui-PS256").userinfoSignedResponseAlg("PS256").build());
            clients.add(client("ui-rsa-enc").userinfoSignedResponseAlg("RS256")
                    .userinfoEncryption(new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM", jwksUri)).build());
            clients.add(client("ui-ec-enc").userinfoSignedResponseAlg("ES256")
                    .userinfoEncryption(new ResponseEncryptionConfig("ECDH-ES", "A128GCM", jwksUri)).build());
            clients.add(client("ui-enc-down").userinfoSignedResponseAlg("RS256")
                    .userinfoEncryption(new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM",
                            "http://127.0.0.1:1/nothing-listens-here")).build());
            clients.add(client("ui-no-enc-key").userinfoSignedResponseAlg("RS256")
                    .userinfoEncryption(new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM",
                            jwksUri.replace("/jwks", "/signing-only"))).build());
            clients.add(client("ui-pairwise").subjectType("pairwise").userinfoSignedResponseAlg("RS256").build());
            return config.withClients(clients).withSubjects(new SubjectsConfig("userinfo-salt"));
        });
    }

    private static void serve(String path, String jwks) {
        clientKeys.createContext(path, exchange -> {
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private static ClientConfig.Builder client(String id) {
        return ClientConfig.builder(id).secret(SECRET).redirectUris(List.of(REDIRECT)).consent("skip")
                .scopes(List.of("openid", "profile", "email"));
    }

    @AfterAll
    static void stop() {
        server.close();
        clientKeys.stop(0);
    }

    private static TokenClient.Response signIn(String clientId) {
        TokenClient.Response tokens = Flows.codeFlow(server, clientId, SECRET, REDIRECT, ALICE, ALICE_PASSWORD, SCOPE);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return tokens;
    }

    private static TokenClient.Response userInfo(TokenClient.Response tokens) {
        return TokenFlows.userInfo(server, tokens.string("access_token"));
    }

    /** Verifies the signature with the key the JWKS publishes under the header's kid, as an RP does. */
    private static JWTClaimsSet verified(SignedJWT jwt) throws Exception {
        JWK key = TokenFlows.jwks(server).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid %s is published", jwt.getHeader().getKeyID()).isNotNull();
        JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
                ((AsymmetricJWK) key).toPublicKey());
        assertThat(jwt.verify(verifier)).isTrue();
        return jwt.getJWTClaimsSet();
    }

    private static String idTokenSubject(TokenClient.Response tokens) {
        return TokenFlows.claims(tokens.string("id_token")).getSubject();
    }

    @Test
    void aClientThatRegisteredNothingStillGetsJson() {
        TokenClient.Response answer = userInfo(signIn("ui-json"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json()).containsEntry("email", "alice@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "PS256"})
    void aSignedAnswerIsApplicationJwtSignedWithTheRegisteredAlgAndCarriesTheJsonAnswersClaims(String alg)
            throws Exception {
        TokenClient.Response tokens = signIn("ui-" + alg);
        TokenClient.Response answer = userInfo(tokens);
        Map<String, Object> json = userInfo(signIn("ui-json")).json();

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/jwt");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        SignedJWT jwt = SignedJWT.parse(answer.body());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(alg);
        JWTClaimsSet claims = verified(jwt);
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getAudience()).containsExactly("ui-" + alg);
        assertThat(claims.getSubject()).isEqualTo(idTokenSubject(tokens));
        assertThat(claims.getIssueTime()).isNotNull();
        assertThat(claims.getExpirationTime()).as("no exp: it must not pass for an ID token").isNull();
        Map<String, Object> released = new LinkedHashMap<>(claims.toJSONObject());
        released.keySet().removeAll(List.of("iss", "aud", "iat"));
        assertThat(released).isEqualTo(json);
    }

    @Test
    void aSignedAnswerIsAlsoServedToPostWithTheTokenInTheBody() throws Exception {
        TokenClient.Response tokens = signIn("ui-RS256");

        TokenClient.Response answer = server.tokenClient().post("/userinfo", null,
                "access_token=" + tokens.string("access_token"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/jwt");
        assertThat(verified(SignedJWT.parse(answer.body())).getAudience()).containsExactly("ui-RS256");
    }

    @Test
    void aSignedAndEncryptedAnswerIsANestedJwtForTheClientsRsaKey() throws Exception {
        TokenClient.Response tokens = signIn("ui-rsa-enc");
        TokenClient.Response answer = userInfo(tokens);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/jwt");
        JWEObject jwe = JWEObject.parse(answer.body());
        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("RSA-OAEP-256");
        assertThat(jwe.getHeader().getEncryptionMethod().getName()).isEqualTo("A256GCM");
        assertThat(jwe.getHeader().getKeyID()).isEqualTo("rsa-enc");
        assertThat(jwe.getHeader().getContentType()).isEqualTo("JWT");
        assertThat(answer.body()).doesNotContain("alice");
        jwe.decrypt(new RSADecrypter(rsaEncryptionKey));
        JWTClaimsSet claims = verified(jwe.getPayload().toSignedJWT());
        assertThat(claims.getAudience()).containsExactly("ui-rsa-enc");
        assertThat(claims.getSubject()).isEqualTo(idTokenSubject(tokens));
        assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
    }

    @Test
    void anEs256AnswerCanBeEncryptedToTheClientsEcKey() throws Exception {
        JWEObject jwe = JWEObject.parse(userInfo(signIn("ui-ec-enc")).body());

        assertThat(jwe.getHeader().getAlgorithm().getName()).isEqualTo("ECDH-ES");
        assertThat(jwe.getHeader().getKeyID()).isEqualTo("ec-enc");
        jwe.decrypt(new ECDHDecrypter(ecEncryptionKey));
        SignedJWT inner = jwe.getPayload().toSignedJWT();
        assertThat(inner.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(verified(inner).getAudience()).containsExactly("ui-ec-enc");
    }

    @Test
    void unreachableClientKeysAreATemporaryErrorNeverAPlaintextAnswer() {
        TokenClient.Response answer = userInfo(signIn("ui-enc-down"));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.error()).isEqualTo("temporarily_unavailable");
        assertThat(answer.string("error_description")).contains("userinfo encryption");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("WWW-Authenticate")).as("the token was fine; no challenge").isNull();
        assertThat(answer.body()).doesNotContain("alice", "nothing-listens-here");
    }

    @Test
    void aClientJwksWithoutAnEncryptionKeyGetsAnErrorNamingTheMissingKeyNeverPlaintext() {
        TokenClient.Response answer = userInfo(signIn("ui-no-enc-key"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.error()).isEqualTo("invalid_client");
        assertThat(answer.string("error_description"))
                .isEqualTo("the client's JWKS has no key for RSA-OAEP-256 userinfo encryption");
        assertThat(answer.body()).doesNotContain("alice");
    }

    @Test
    void aBadTokenAtASignedClientGetsTheJsonErrorAndTheBearerChallenge() {
        String token = signIn("ui-RS256").string("access_token");
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

        TokenClient.Response answer = TokenFlows.userInfo(server, tampered);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.error()).isEqualTo("invalid_token");
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer ").contains("error=\"invalid_token\"");
    }

    @Test
    void aPairwiseClientsSignedAnswerCarriesItsPairwiseSubject() throws Exception {
        TokenClient.Response tokens = signIn("ui-pairwise");
        String publicSub = idTokenSubject(signIn("ui-json"));

        JWTClaimsSet claims = verified(SignedJWT.parse(userInfo(tokens).body()));

        assertThat(claims.getSubject()).isEqualTo(idTokenSubject(tokens)).isNotEqualTo(publicSub);
    }

    @Test
    @SuppressWarnings("unchecked")
    void discoveryAdvertisesTheUserinfoAlgorithmsThatAreServed() {
        Map<String, Object> discovery = server.tokenClient().get("/.well-known/openid-configuration", null).json();

        assertThat((List<String>) discovery.get("userinfo_signing_alg_values_supported"))
                .containsExactlyInAnyOrder("RS256", "ES256", "PS256")
                .isEqualTo(discovery.get("id_token_signing_alg_values_supported"));
        assertThat((List<String>) discovery.get("userinfo_encryption_alg_values_supported"))
                .containsExactlyInAnyOrder("RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A256KW");
        assertThat((List<String>) discovery.get("userinfo_encryption_enc_values_supported"))
                .containsExactlyInAnyOrder("A256GCM", "A128GCM", "A128CBC-HS256", "A256CBC-HS512");
        assertThat(discovery.get("id_token_encryption_alg_values_supported"))
                .isEqualTo(discovery.get("userinfo_encryption_alg_values_supported"));
        assertThat(discovery.get("id_token_encryption_enc_values_supported"))
                .isEqualTo(discovery.get("userinfo_encryption_enc_values_supported"));
    }
}
