package dev.tessera.server.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static org.assertj.core.api.Assertions.assertThat;

/** The ID token of the code flow (OIDC Core §2, §3.1.3.6/7) as a certified relying party checks it. */
class IdTokenTest {
    static final String ES_CLIENT = "es-client";
    static final String ES_REDIRECT = "https://es.example.test/callback";
    static final String PS_CLIENT = "ps-client";
    static final String PS_REDIRECT = "https://ps.example.test/callback";
    static final String SECRET = "alg-client-secret-0123456789-0123456789";

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(ES_CLIENT).secret(SECRET).idTokenSigningAlg("ES256")
                    .redirectUris(List.of(ES_REDIRECT)).scopes(List.of("openid")).build());
            clients.add(ClientConfig.builder(PS_CLIENT).secret(SECRET).idTokenSigningAlg("PS256")
                    .redirectUris(List.of(PS_REDIRECT)).scopes(List.of("openid")).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenClient.Response tokens(String scope, String nonce) {
        TokenFlows flow = TokenFlows.signIn(server).scope(scope);
        return (nonce == null ? flow : flow.nonce(nonce)).tokens();
    }

    private static SignedJWT idToken(TokenClient.Response response) throws Exception {
        return SignedJWT.parse(response.string("id_token"));
    }

    private static JWTClaimsSet idClaims(String scope) throws Exception {
        return idToken(tokens(scope, null)).getJWTClaimsSet();
    }

    @Test
    void issIsTheIssuerExactly() throws Exception {
        assertThat(idClaims("openid").getIssuer()).isEqualTo(server.issuer());
    }

    @Test
    void audContainsTheClientAndAzpNamesIt() throws Exception {
        JWTClaimsSet claims = idClaims("openid");

        assertThat(claims.getAudience()).contains(WEB);
        assertThat(claims.getStringClaim("azp")).isEqualTo(WEB);
    }

    @Test
    void subIsTheUsersStableId() throws Exception {
        String aliceId = server.app().stores().users().findByUsername(ALICE).orElseThrow().id();

        assertThat(idClaims("openid").getSubject()).isEqualTo(aliceId);
        assertThat(idClaims("openid").getSubject()).isEqualTo(aliceId);
    }

    @Test
    void iatIsNowAndExpIsTheIdTokenLifetimeLater() throws Exception {
        Instant before = server.clock().instant();
        JWTClaimsSet claims = idClaims("openid");
        Instant after = server.clock().instant();

        Instant iat = claims.getIssueTime().toInstant();
        assertThat(iat).isBetween(before.minusSeconds(1), after); // not in the future, not stale
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(iat.plus(Duration.ofMinutes(15)));
    }

    @Test
    void theNonceIsEchoedWhenSent() throws Exception {
        String nonce = "n-0S6_WzA2Mj-" + System.nanoTime();

        assertThat(idToken(tokens("openid", nonce)).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo(nonce);
    }

    @Test
    void thereIsNoNonceWhenNoneWasSent() throws Exception {
        assertThat(idClaims("openid").getClaims()).doesNotContainKey("nonce");
    }

    @Test
    void authTimeIsPresentAndNotAfterIssuance() throws Exception {
        JWTClaimsSet claims = idClaims("openid");

        assertThat(claims.getLongClaim("auth_time")).isNotNull()
                .isLessThanOrEqualTo(claims.getIssueTime().toInstant().getEpochSecond());
    }

    @Test
    void authTimeIsPresentWhenMaxAgeWasSent() throws Exception {
        JWTClaimsSet claims = idToken(TokenFlows.signIn(server).param("max_age", "3600").tokens()).getJWTClaimsSet();

        assertThat(claims.getLongClaim("auth_time")).isNotNull();
    }

    @Test
    void authTimeIsPresentWhenRequestedThroughTheClaimsParameter() throws Exception {
        JWTClaimsSet claims = idToken(TokenFlows.signIn(server)
                .param("claims", "{\"id_token\":{\"auth_time\":{\"essential\":true}}}").tokens()).getJWTClaimsSet();

        assertThat(claims.getLongClaim("auth_time")).isNotNull();
    }

    @Test
    void acrIsNonEmptyAndAmrSaysPassword() throws Exception {
        JWTClaimsSet claims = idClaims("openid");

        assertThat(claims.getStringClaim("acr")).isNotBlank();
        assertThat(claims.getStringListClaim("amr")).contains("pwd");
    }

    @Test
    void sidIdentifiesTheSession() throws Exception {
        assertThat(idClaims("openid").getStringClaim("sid")).isNotBlank();
    }

    @Test
    void atHashIsTheLeftHalfOfTheAccessTokensSha256() throws Exception {
        TokenClient.Response response = tokens("openid", null);
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(response.string("access_token").getBytes(StandardCharsets.US_ASCII));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));

        assertThat(idToken(response).getJWTClaimsSet().getStringClaim("at_hash")).isEqualTo(expected);
    }

    @Test
    void theHeaderHasTypJwtAndAKidPublishedInTheJwks() throws Exception {
        SignedJWT token = idToken(tokens("openid", null));

        assertThat(token.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(token.getHeader().getKeyID()).isNotBlank();
        assertThat(TokenFlows.jwks(server).getKeyByKeyId(token.getHeader().getKeyID())).isNotNull();
    }

    @Test
    void aClientThatRegisteredNoAlgorithmGetsRs256() throws Exception {
        SignedJWT token = idToken(tokens("openid", null));

        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(verifiesAgainstJwks(token)).isTrue();
    }

    @Test
    void aClientThatRegisteredEs256GetsAnEs256IdTokenThatVerifies() throws Exception {
        SignedJWT token = idToken(TokenFlows.signIn(server).client(ES_CLIENT, ES_REDIRECT).tokens(SECRET));

        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(TokenFlows.jwks(server).getKeyByKeyId(token.getHeader().getKeyID())).isInstanceOf(ECKey.class);
        assertThat(verifiesAgainstJwks(token)).isTrue();
    }

    @Test
    void aClientThatRegisteredPs256GetsAPs256IdTokenThatVerifies() throws Exception {
        SignedJWT token = idToken(TokenFlows.signIn(server).client(PS_CLIENT, PS_REDIRECT).tokens(SECRET));

        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(verifiesAgainstJwks(token)).isTrue();
    }

    @Test
    void withOpenidAloneThereAreNoProfileOrEmailClaims() throws Exception {
        assertThat(idClaims("openid").getClaims())
                .doesNotContainKeys("name", "given_name", "email", "email_verified", "phone_number", "department");
    }

    @Test
    void profileAndEmailScopesReleaseTheirClaims() throws Exception {
        JWTClaimsSet claims = idClaims("openid profile email");

        assertThat(claims.getStringClaim("name")).isEqualTo("Alice Example");
        assertThat(claims.getStringClaim("given_name")).isEqualTo("Alice");
        assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(claims.getBooleanClaim("email_verified")).isTrue();
        assertThat(claims.getClaims()).doesNotContainKeys("phone_number", "department");
    }

    @Test
    void theSignatureVerifiesAgainstThePublishedJwks() throws Exception {
        SignedJWT token = idToken(tokens("openid profile", "n"));

        assertThat(verifiesAgainstJwks(token)).isTrue();
    }

    @Test
    void aTamperedIdTokenNoLongerVerifies() throws Exception {
        SignedJWT token = idToken(tokens("openid", null));
        String[] parts = token.serialize().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"aud\":\"" + WEB + "\"", "\"aud\":\"evil\"");
        SignedJWT tampered = SignedJWT.parse(parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2]);

        assertThat(tampered.getJWTClaimsSet().getAudience()).containsExactly("evil");
        assertThat(verifiesAgainstJwks(tampered)).isFalse();
    }

    /** What an RP does: fetch /.well-known/jwks.json, pick the key by kid, verify with Nimbus. */
    private static boolean verifiesAgainstJwks(SignedJWT token) throws Exception {
        JWKSet jwks = TokenFlows.jwks(server);
        JWK key = jwks.getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(key).as("kid %s in the JWKS", token.getHeader().getKeyID()).isNotNull();
        assertThat(key.isPrivate()).isFalse();
        if (key instanceof RSAKey rsa) {
            return token.verify(new RSASSAVerifier(rsa));
        }
        return token.verify(new ECDSAVerifier((ECKey) key));
    }
}
