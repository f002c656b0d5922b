package dev.tessera.server.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.SubjectsConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertNoInternals;
import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** GET|POST /userinfo (OIDC Core §5.3) with RFC 6750 bearer tokens, and the tokens it must refuse. */
class UserInfoTest {
    static final String PAIRWISE = "pairwise-client";
    static final String PAIRWISE_REDIRECT = "https://pairwise.example.test/callback";
    static final String EMAIL_ONLY = "email-only-client";
    static final String EMAIL_ONLY_REDIRECT = "https://email-only.example.test/callback";
    static final String SECRET = "userinfo-client-secret-0123456789-012345";
    static final String CAROL = "carol";
    static final String CAROL_PASSWORD = "carol's very long password 9";
    static final Map<String, Object> CAROL_ADDRESS = Map.of("street_address", "1 Main Street",
            "locality", "Springfield", "country", "US");

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(PAIRWISE).secret(SECRET).subjectType("pairwise")
                    .redirectUris(List.of(PAIRWISE_REDIRECT)).scopes(List.of("openid", "email")).build());
            clients.add(ClientConfig.builder(EMAIL_ONLY).secret(SECRET).claims(List.of("email"))
                    .redirectUris(List.of(EMAIL_ONLY_REDIRECT)).scopes(List.of("openid", "profile", "email")).build());
            List<UserConfig> users = new ArrayList<>(config.users());
            users.add(UserConfig.builder(CAROL).password(CAROL_PASSWORD)
                    .claims(Map.of("name", "Carol Example", "address", CAROL_ADDRESS)).build());
            return config.withClients(clients).withUsers(users).withSubjects(new SubjectsConfig("salt"));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenClient.Response tokens(String scope) {
        return TokenFlows.signIn(server).scope(scope).tokens();
    }

    private static String accessToken(String scope) {
        return tokens(scope).string("access_token");
    }

    private static TokenClient.Response userInfo(String accessToken) {
        return TokenFlows.userInfo(server, accessToken);
    }

    private static void assertInvalidToken(TokenClient.Response response) {
        assertOAuthError(response, 401, "invalid_token");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer ").contains("error=\"invalid_token\"");
    }

    // --- ways to present the token

    @Test
    void getWithABearerHeaderWorks() {
        TokenClient.Response response = server.tokenClient().get("/userinfo", "Bearer " + accessToken("openid"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.string("sub")).isNotBlank();
    }

    @Test
    void postWithABearerHeaderWorks() {
        TokenClient.Response response = server.tokenClient().post("/userinfo", "Bearer " + accessToken("openid"), "");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.string("sub")).isNotBlank();
    }

    @Test
    void postWithTheAccessTokenInTheFormBodyWorks() {
        TokenClient.Response response = server.tokenClient().post("/userinfo", null,
                UserAgent.encode(Map.of("access_token", accessToken("openid"))));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.string("sub")).isNotBlank();
    }

    @Test
    void aTokenInBothTheHeaderAndTheBodyIsInvalidRequest() {
        String token = accessToken("openid");

        TokenClient.Response response = server.tokenClient().post("/userinfo", "Bearer " + token,
                UserAgent.encode(Map.of("access_token", token)));

        assertOAuthError(response, 400, "invalid_request");
    }

    // --- claims

    @Test
    void subEqualsTheIdTokensSub() {
        TokenClient.Response tokens = tokens("openid");

        assertThat(userInfo(tokens.string("access_token")).string("sub"))
                .isEqualTo(TokenFlows.claims(tokens.string("id_token")).getSubject());
    }

    @Test
    void openidAloneReleasesOnlySub() {
        assertThat(userInfo(accessToken("openid")).json()).containsOnlyKeys("sub");
    }

    @Test
    void theProfileScopeReleasesProfileClaims() {
        Map<String, Object> claims = userInfo(accessToken("openid profile")).json();

        assertThat(claims).containsEntry("name", "Alice Example").containsEntry("given_name", "Alice")
                .doesNotContainKeys("email", "phone_number");
    }

    @Test
    void theEmailScopeReleasesEmailClaims() {
        Map<String, Object> claims = userInfo(accessToken("openid email")).json();

        assertThat(claims).containsEntry("email", "alice@example.com").containsEntry("email_verified", true)
                .doesNotContainKeys("name", "phone_number");
    }

    @Test
    void thePhoneScopeReleasesPhoneClaims() {
        Map<String, Object> claims = userInfo(accessToken("openid phone")).json();

        assertThat(claims).containsEntry("phone_number", "+1 555 0100").doesNotContainKeys("name", "email");
    }

    @Test
    void theAddressScopeReleasesTheAddress() {
        String token = TokenFlows.signIn(server).as(CAROL, CAROL_PASSWORD).scope("openid address").tokens()
                .string("access_token");

        Map<String, Object> claims = userInfo(token).json();

        assertThat(claims).containsEntry("address", CAROL_ADDRESS).doesNotContainKey("name");
    }

    @Test
    void aClientWithAClaimsReleaseListGetsOnlyThoseClaims() {
        String token = TokenFlows.signIn(server).client(EMAIL_ONLY, EMAIL_ONLY_REDIRECT).scope("openid profile email")
                .tokens(SECRET).string("access_token");

        assertThat(userInfo(token).json()).containsOnlyKeys("sub", "email");
    }

    @Test
    void aPairwiseClientSeesADifferentSubThanThePublicOne() {
        String publicSub = userInfo(accessToken("openid")).string("sub");

        String pairwiseSub = TokenFlows.claims(TokenFlows.signIn(server).client(PAIRWISE, PAIRWISE_REDIRECT)
                .tokens(SECRET).string("id_token")).getSubject();

        assertThat(pairwiseSub).isNotBlank().isNotEqualTo(publicSub);
    }

    @Test
    void aPairwiseSubIsStableAcrossLogins() throws Exception {
        // Each signIn() uses a fresh browser, so these are two separate logins.
        TokenClient.Response first = TokenFlows.signIn(server).client(PAIRWISE, PAIRWISE_REDIRECT).tokens(SECRET);
        TokenClient.Response second = TokenFlows.signIn(server).client(PAIRWISE, PAIRWISE_REDIRECT).tokens(SECRET);

        assertThat(TokenFlows.claims(second.string("id_token")).getStringClaim("sid"))
                .isNotEqualTo(TokenFlows.claims(first.string("id_token")).getStringClaim("sid"));
        assertThat(TokenFlows.claims(second.string("id_token")).getSubject())
                .isEqualTo(TokenFlows.claims(first.string("id_token")).getSubject());
    }

    @Test
    void aPairwiseSubIsTheSameInTheIdTokenAndAtUserinfo() {
        TokenClient.Response tokens = TokenFlows.signIn(server).client(PAIRWISE, PAIRWISE_REDIRECT).tokens(SECRET);

        assertThat(userInfo(tokens.string("access_token")).string("sub"))
                .isEqualTo(TokenFlows.claims(tokens.string("id_token")).getSubject());
    }

    // --- refusals

    @Test
    void aRequestWithoutATokenGetsA401BearerChallengeWithoutAnErrorCode() {
        TokenClient.Response response = server.tokenClient().get("/userinfo", null);

        assertThat(response.status()).isEqualTo(401);
        // RFC 6750 §3.1: no authentication information, so no error code in the challenge.
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").doesNotContain("error=");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertNoInternals(response);
    }

    @Test
    void anExpiredAccessTokenIsInvalidToken() {
        String token = accessToken("openid");
        server.clock().advance(Duration.ofMinutes(16)); // 15 min lifetime plus the verifier's skew

        assertInvalidToken(userInfo(token));
    }

    @Test
    void anAccessTokenRevokedByACodeReplayIsInvalidToken() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();
        String token = code.redeem(WEB_SECRET).string("access_token");
        code.redeem(WEB_SECRET);

        assertInvalidToken(userInfo(token));
    }

    @Test
    void aTokenWithAlgNoneIsInvalidToken() {
        String[] parts = accessToken("openid").split("\\.");
        String forged = b64("{\"alg\":\"none\"}") + "." + parts[1] + ".";

        assertInvalidToken(userInfo(forged));
    }

    @Test
    void anHs256TokenKeyedWithTheServersRsaPublicKeyIsInvalidToken() throws Exception {
        // The classic key confusion: a verifier that trusts the header's alg would use the public key as an HMAC secret.
        SignedJWT genuine = SignedJWT.parse(accessToken("openid"));
        String kid = genuine.getHeader().getKeyID();
        RSAKey publicKey = (RSAKey) TokenFlows.jwks(server).getKeyByKeyId(kid);
        byte[] der = publicKey.toPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(new JOSEObjectType("at+jwt")).build();

        for (byte[] secret : List.of(pem.getBytes(StandardCharsets.US_ASCII), der)) {
            SignedJWT forged = new SignedJWT(header, genuine.getJWTClaimsSet());
            forged.sign(new MACSigner(secret));
            assertInvalidToken(userInfo(forged.serialize()));
        }
    }

    @Test
    void aTokenSignedByAForeignKeyUnderAPublishedKidIsInvalidToken() throws Exception {
        SignedJWT genuine = SignedJWT.parse(accessToken("openid"));
        String kid = genuine.getHeader().getKeyID();
        RSAKey foreign = new RSAKeyGenerator(2048).keyID(kid).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
                .type(new JOSEObjectType("at+jwt")).build(), genuine.getJWTClaimsSet());
        forged.sign(new RSASSASigner(foreign));

        assertInvalidToken(userInfo(forged.serialize()));
    }

    @Test
    void anIdTokenPresentedAsAnAccessTokenIsInvalidToken() {
        String idToken = tokens("openid").string("id_token");

        assertInvalidToken(userInfo(idToken));
    }

    @Test
    void aTokenWithATamperedPayloadIsInvalidToken() throws Exception {
        String[] parts = accessToken("openid profile").split("\\.");
        String bobId = server.app().stores().users().findByUsername(BOB).orElseThrow().id();
        JWTClaimsSet claims = new JWTClaimsSet.Builder(SignedJWT.parse(String.join(".", parts)).getJWTClaimsSet())
                .subject(bobId).build();
        String forged = parts[0] + "." + b64(claims.toString()) + "." + parts[2];

        assertInvalidToken(userInfo(forged));
    }

    @Test
    void aGarbageBearerTokenIsInvalidToken() {
        assertInvalidToken(userInfo("not-a-jwt"));
    }

    @Test
    void aNonBearerAuthorizationSchemeIsInvalidToken() {
        assertInvalidToken(server.tokenClient().get("/userinfo", TokenClient.basic("alice", "password")));
    }

    @Test
    void aClientCredentialsTokenWithoutOpenidIsInsufficientScope() {
        String token = server.tokenClient().token(SERVICE, SERVICE_SECRET, Map.of("grant_type", "client_credentials"))
                .string("access_token");

        TokenClient.Response response = userInfo(token);

        // UserInfoService answers insufficient_scope, which RFC 6750 §3.1 maps to 403.
        assertOAuthError(response, 403, "insufficient_scope");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer ").contains("error=\"insufficient_scope\"");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
