package dev.tessera.server.http;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.IdJagConfig;
import dev.tessera.server.config.SubjectsConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.TokenExchangeConfig;
import dev.tessera.server.config.TokensConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.MetricsScrape;
import dev.tessera.server.testsupport.Form;
import dev.tessera.server.testsupport.JwtParts;
import dev.tessera.server.testsupport.PartnerIdp;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.SPA;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The issuing side of cross-app access (SPEC §6): RFC 8693 token exchange at /token turning this server's own
 * ID tokens and refresh tokens into ID-JAGs under the client's idJag policy, and into access tokens for the
 * client's own audiences. One rule per test; the error codes and description phrases are the shared contract
 * of issue 7.
 */
class TokenExchangeIdJagTest {
    static final String TOKEN_EXCHANGE = ClientConfig.TOKEN_EXCHANGE;
    static final String ID_JAG = TokenExchangeConfig.ID_JAG;
    static final String ID_TOKEN = TokenExchangeConfig.ID_TOKEN;
    static final String REFRESH_TOKEN = TokenExchangeConfig.REFRESH_TOKEN;
    static final String ACCESS_TOKEN = TokenExchangeConfig.ACCESS_TOKEN;

    /** The client under test: signs users in, exchanges their tokens, has two idJag entries. */
    static final String AGENT = "agent";
    static final String AGENT_SECRET = "agent-secret-0123456789-0123456789-abcdef";
    static final String AGENT_REDIRECT = "https://agent.example.test/callback";
    /** May exchange, but has no idJag entry. */
    static final String PLAIN = "plain-exchanger";
    static final String PLAIN_SECRET = "plain-secret-0123456789-0123456789-abcdef";
    static final String PLAIN_REDIRECT = "https://plain.example.test/callback";
    /** The pairwise client the pairwise partner uses for its single sign-on with us. */
    static final String SSO = "partner-sso";
    static final String SSO_SECRET = "sso-secret-0123456789-0123456789-abcdefgh";
    static final String SSO_REDIRECT = "https://sso.partner.test/callback";

    /** Entry 1: no clientId, no ssoClient, two resources, email on. */
    static final String PARTNER_AS = "https://as.partner.test";
    static final String TODO_API = "https://api.partner.test/todo";
    static final String CALENDAR_API = "https://api.partner.test/calendar";
    /** Entry 2: its own clientId, a pairwise ssoClient, no resources, email off. */
    static final String PAIRWISE_AS = "https://as.pairwise.test";
    static final String AGENT_AT_PAIRWISE_AS = "agent-at-pairwise";
    /** The agent's own audiences, for exchanged access tokens. */
    static final String API = "https://api.example.test";
    static final String API2 = "https://api2.example.test";

    static final String DORA = "dora";
    static final String DORA_PASSWORD = "dora's soon disabled password";
    static final String FULL_SCOPE = "openid profile email offline_access";

    static TesseraTestServer server;
    /** tokenTypes lists only the ID-JAG. */
    static TesseraTestServer idJagOnly;
    /** The standard test server: token exchange disabled. */
    static TesseraTestServer disabled;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> crossAppConfig(config, List.of(ACCESS_TOKEN, ID_JAG)));
        idJagOnly = TesseraTestServer.start(config -> crossAppConfig(config, List.of(ID_JAG)));
        disabled = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        for (TesseraTestServer each : new TesseraTestServer[] {server, idJagOnly, disabled}) {
            if (each != null) {
                each.close();
            }
        }
    }

    static TesseraConfig crossAppConfig(TesseraConfig config, List<String> tokenTypes) {
        List<ClientConfig> clients = new ArrayList<>(config.clients());
        clients.add(ClientConfig.builder(AGENT).name("Agent").secret(AGENT_SECRET)
                .redirectUris(List.of(AGENT_REDIRECT))
                .grantTypes(List.of(ClientConfig.AUTHORIZATION_CODE, ClientConfig.REFRESH_TOKEN, TOKEN_EXCHANGE))
                .scopes(List.of("openid", "profile", "email", "offline_access"))
                .audience(List.of(API, API2))
                .idJag(List.of(
                        new IdJagConfig(PARTNER_AS, null, List.of("todo.read", "todo.write"),
                                List.of(TODO_API, CALENDAR_API), null, true),
                        new IdJagConfig(PAIRWISE_AS, AGENT_AT_PAIRWISE_AS, List.of("files.read"), List.of(), SSO, false)))
                .build());
        clients.add(ClientConfig.builder(PLAIN).secret(PLAIN_SECRET).redirectUris(List.of(PLAIN_REDIRECT))
                .grantTypes(List.of(ClientConfig.AUTHORIZATION_CODE, TOKEN_EXCHANGE)).scopes(List.of("openid")).build());
        clients.add(ClientConfig.builder(SSO).secret(SSO_SECRET).redirectUris(List.of(SSO_REDIRECT))
                .subjectType(ClientConfig.SUBJECT_PAIRWISE).scopes(List.of("openid")).build());
        List<UserConfig> users = new ArrayList<>(config.users());
        users.add(UserConfig.builder(DORA).password(DORA_PASSWORD).build());
        // Refresh tokens live an hour here, so that one test can outlive one by moving the clock.
        TokensConfig tokens = new TokensConfig(Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofHours(1),
                Duration.ofHours(1), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ZERO, TokensConfig.FORMAT_JWT);
        return config.withClients(clients).withUsers(users).withTokens(tokens)
                .withSubjects(new SubjectsConfig("token-exchange-test-salt"))
                .withTokenExchange(new TokenExchangeConfig(tokenTypes));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static TokenClient.Response signIn(TesseraTestServer at, String clientId, String secret, String redirect,
                                               String user, String password, String scope) {
        TokenClient.Response tokens = Flows.codeFlow(at, clientId, secret, redirect, user, password, scope);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return tokens;
    }

    /** Alice signed in at the agent with openid, profile, email and offline_access: ID, access and refresh token. */
    private static TokenClient.Response aliceAtAgent() {
        return signIn(server, AGENT, AGENT_SECRET, AGENT_REDIRECT, ALICE, ALICE_PASSWORD, FULL_SCOPE);
    }

    private static String aliceIdToken() {
        return aliceAtAgent().string("id_token");
    }

    /** A valid ID-JAG request for the partner AS; tests add, change or remove one thing. */
    private static Form idJagRequest(String subjectToken, String subjectType) {
        return Form.of("grant_type", TOKEN_EXCHANGE, "requested_token_type", ID_JAG, "subject_token", subjectToken,
                "subject_token_type", subjectType, "audience", PARTNER_AS);
    }

    private static Form accessTokenRequest(String subjectToken, String subjectType) {
        return Form.of("grant_type", TOKEN_EXCHANGE, "requested_token_type", ACCESS_TOKEN, "subject_token", subjectToken,
                "subject_token_type", subjectType);
    }

    private static TokenClient.Response exchange(Form form) {
        return server.tokenClient().token(AGENT, AGENT_SECRET, form);
    }

    /** The ID-JAG of a successful exchange, with the response checked for success first. */
    private static String idJag(TokenClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.string("access_token");
    }

    private static void assertRefused(TokenClient.Response response, String error, String phrase) {
        assertOAuthError(response, 400, error);
        assertThat(response.string("error_description")).as(response.body()).contains(phrase);
    }

    private static long number(Map<String, Object> json, String member) {
        Object value = json.get(member);
        assertThat(value).as(member).isInstanceOf(Number.class);
        return ((Number) value).longValue();
    }

    private static String publicSubOfAlice() {
        return UserConfig.defaultId(ALICE);
    }

    // --- issuing an ID-JAG: the response -----------------------------------------------------------

    @Test
    void anIdTokenIsExchangedForAnIdJagWithTheTokenExchangeResponseMembers() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN).add("scope", "todo.read"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.string("access_token")).isNotBlank();
        assertThat(response.json()).containsEntry("issued_token_type", ID_JAG).containsEntry("token_type", "N_A");
        assertThat(number(response.json(), "expires_in")).isEqualTo(300);
        assertThat(response.json()).doesNotContainKeys("refresh_token", "id_token");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Pragma")).isEqualTo("no-cache");
    }

    @Test
    void metricsCountAnIdJagAsAnIdJagNotAsAnAccessToken() {
        String idJags = "tessera_tokens_issued_total{grant_type=\"" + TOKEN_EXCHANGE + "\",token_type=\"id-jag\"}";
        String accessTokens = "tessera_tokens_issued_total{grant_type=\"" + TOKEN_EXCHANGE + "\",token_type=\"access_token\"}";
        String subject = aliceIdToken();
        MetricsScrape before = MetricsScrape.of(server.tokenClient());

        assertThat(exchange(idJagRequest(subject, ID_TOKEN)).status()).isEqualTo(200);

        MetricsScrape after = MetricsScrape.of(server.tokenClient());
        assertThat(after.value(idJags) - before.value(idJags)).isEqualTo(1);
        assertThat(after.value(accessTokens)).isEqualTo(before.value(accessTokens));
    }

    @Test
    void theIdJagHeaderIsTypOauthIdJagJwtWithRs256AndAKidFromTheJwks() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN)));

        Map<String, Object> header = JwtParts.header(idJag);
        assertThat(header).containsEntry("typ", "oauth-id-jag+jwt").containsEntry("alg", "RS256");
        assertThat(header.get("kid")).isInstanceOf(String.class);
        String jwks = server.tokenClient().get("/.well-known/jwks.json", null).body();
        assertThat(jwks).contains("\"kid\":\"" + header.get("kid") + "\"");
    }

    @Test
    void theIdJagNamesThisServerTheSignedInUserAndTheAudienceAsOneString() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN)));

        Map<String, Object> claims = JwtParts.payload(idJag);
        assertThat(claims).containsEntry("iss", server.issuer()).containsEntry("sub", publicSubOfAlice());
        // SPEC §6: aud is one JSON string, not a one-element array.
        assertThat(claims.get("aud")).isEqualTo(PARTNER_AS);
        assertThat(claims.get("jti")).isInstanceOf(String.class).asString().isNotBlank();
    }

    @Test
    void theIdJagLivesFiveMinutesByDefault() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN));
        Map<String, Object> claims = JwtParts.payload(idJag(response));

        long iat = number(claims, "iat");
        assertThat(iat).isCloseTo(server.clock().instant().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
        assertThat(number(claims, "exp") - iat).isEqualTo(300);
        assertThat(number(response.json(), "expires_in")).isEqualTo(300);
    }

    @Test
    void eachIdJagHasItsOwnJti() {
        String idToken = aliceIdToken();

        Object first = JwtParts.payload(idJag(exchange(idJagRequest(idToken, ID_TOKEN)))).get("jti");
        Object second = JwtParts.payload(idJag(exchange(idJagRequest(idToken, ID_TOKEN)))).get("jti");

        assertThat(first).isNotNull().isNotEqualTo(second);
    }

    @Test
    void clientIdIsTheCallersIdWhenTheEntryNamesNoClientId() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN)));

        assertThat(JwtParts.payload(idJag)).containsEntry("client_id", AGENT);
    }

    @Test
    void clientIdIsTheEntrysClientIdWhenItNamesOne() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN).set("audience", PAIRWISE_AS)));

        assertThat(JwtParts.payload(idJag)).containsEntry("client_id", AGENT_AT_PAIRWISE_AS)
                .containsEntry("aud", PAIRWISE_AS);
    }

    @Test
    void subIsThePublicSubWhenTheEntryNamesNoSsoClient() {
        String idToken = aliceIdToken();

        String idJag = idJag(exchange(idJagRequest(idToken, ID_TOKEN)));

        // The agent is a public-subject client, so its ID token carries Alice's user id.
        assertThat(JwtParts.payload(idToken).get("sub")).isEqualTo(publicSubOfAlice());
        assertThat(JwtParts.payload(idJag).get("sub")).isEqualTo(publicSubOfAlice());
    }

    @Test
    void subIsThePairwiseSubOfTheSsoClientWhenThatClientIsPairwise() {
        String subAtSso = (String) JwtParts.payload(signIn(server, SSO, SSO_SECRET, SSO_REDIRECT, ALICE, ALICE_PASSWORD,
                "openid").string("id_token")).get("sub");

        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN).set("audience", PAIRWISE_AS)));

        assertThat(subAtSso).isNotBlank().isNotEqualTo(publicSubOfAlice());
        assertThat(JwtParts.payload(idJag).get("sub")).isEqualTo(subAtSso);
    }

    @Test
    void oneResourceIsCarriedAsAString() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN).add("resource", TODO_API)));

        assertThat(JwtParts.payload(idJag).get("resource")).isEqualTo(TODO_API);
    }

    @Test
    void severalResourcesAreCarriedAsAnArray() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("resource", TODO_API).add("resource", CALENDAR_API)));

        assertThat(JwtParts.payload(idJag).get("resource")).isEqualTo(List.of(TODO_API, CALENDAR_API));
    }

    @Test
    void withoutAResourceParameterTheIdJagHasNoResourceClaim() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN)));

        assertThat(JwtParts.payload(idJag)).doesNotContainKey("resource");
    }

    @Test
    void authTimeAcrAndAmrAreThoseOfTheSignIn() {
        String idToken = aliceIdToken();
        Map<String, Object> signIn = JwtParts.payload(idToken);

        Map<String, Object> claims = JwtParts.payload(idJag(exchange(idJagRequest(idToken, ID_TOKEN))));

        assertThat(signIn).containsKeys("auth_time", "acr", "amr");
        assertThat(claims.get("auth_time")).isEqualTo(signIn.get("auth_time"));
        assertThat(claims.get("acr")).isEqualTo(signIn.get("acr"));
        assertThat(claims.get("amr")).isEqualTo(signIn.get("amr"));
    }

    @Test
    void aVerifiedEmailIsAddedWhenTheEntrySetsEmail() {
        Map<String, Object> claims = JwtParts.payload(idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN))));

        assertThat(claims).containsEntry("email", "alice@example.com").containsEntry("email_verified", true);
    }

    @Test
    void noEmailIsAddedWhenTheEntryDoesNotSetEmail() {
        Map<String, Object> claims = JwtParts.payload(idJag(exchange(
                idJagRequest(aliceIdToken(), ID_TOKEN).set("audience", PAIRWISE_AS))));

        assertThat(claims).doesNotContainKeys("email", "email_verified");
    }

    @Test
    void anUnverifiedEmailIsNeverAddedEvenWhenTheEntrySetsEmail() {
        // Bob has an email address but no email_verified claim.
        String bobsIdToken = signIn(server, AGENT, AGENT_SECRET, AGENT_REDIRECT, BOB, BOB_PASSWORD, "openid email")
                .string("id_token");

        Map<String, Object> claims = JwtParts.payload(idJag(exchange(idJagRequest(bobsIdToken, ID_TOKEN))));

        assertThat(claims.get("sub")).isEqualTo(UserConfig.defaultId(BOB));
        assertThat(claims).doesNotContainKeys("email", "email_verified");
    }

    @Test
    void theIdJagVerifiesWithJose4jAgainstThePublishedJwks() throws Exception {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN).add("scope", "todo.read")
                .add("resource", TODO_API)));
        JsonWebKeySet jwks = new JsonWebKeySet(server.tokenClient().get("/.well-known/jwks.json", null).body());
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedType(true, "oauth-id-jag+jwt")
                .setExpectedIssuer(server.issuer())
                .setExpectedAudience(PARTNER_AS)
                .setRequireSubject().setRequireJwtId().setRequireIssuedAt().setRequireExpirationTime()
                .setEvaluationTime(NumericDate.fromSeconds(server.clock().instant().getEpochSecond()))
                .build();

        JwtClaims claims = consumer.processToClaims(idJag);

        assertThat(claims.getSubject()).isEqualTo(publicSubOfAlice());
        assertThat(claims.getStringClaimValue("client_id")).isEqualTo(AGENT);
        assertThat(claims.getStringClaimValue("scope")).isEqualTo("todo.read");
        assertThat(claims.getStringClaimValue("resource")).isEqualTo(TODO_API);
        // The same consumer refuses the ID-JAG once one claim changes: the verification above means something.
        Map<String, Object> altered = new LinkedHashMap<>(JwtParts.payload(idJag));
        altered.put("scope", "todo.read todo.write");
        String tampered = JwtParts.withPayload(idJag, JwtParts.json(altered));
        assertThatThrownBy(() -> consumer.processToClaims(tampered)).isInstanceOf(InvalidJwtException.class);
    }

    // --- issuing an ID-JAG: scopes -----------------------------------------------------------------

    @Test
    void requestedScopesOutsideTheEntryAreDroppedAndTheResponseNamesTheSurvivors() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("scope", "todo.read calendar.read"));

        assertThat(JwtParts.payload(idJag(response))).containsEntry("scope", "todo.read");
        assertThat(response.json()).containsEntry("scope", "todo.read");
    }

    @Test
    void whenNoRequestedScopeSurvivesTheExchangeIsInvalidScope() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("scope", "calendar.read files.read"));

        assertRefused(response, "invalid_scope", "none of the requested scopes");
    }

    @Test
    void whenEveryRequestedScopeIsAllowedTheResponseHasNoScopeMember() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("scope", "todo.read todo.write"));

        assertThat(TokenFlows.scopeSet((String) JwtParts.payload(idJag(response)).get("scope")))
                .containsExactlyInAnyOrder("todo.read", "todo.write");
        assertThat(response.json()).doesNotContainKey("scope");
    }

    @Test
    void withoutAScopeParameterTheIdJagHasNoScopeClaimAndTheResponseNoScopeMember() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN));

        assertThat(JwtParts.payload(idJag(response))).doesNotContainKey("scope");
        assertThat(response.json()).doesNotContainKey("scope");
    }

    // --- issuing an ID-JAG from a refresh token ----------------------------------------------------

    @Test
    void aRefreshTokenIsExchangedForAnIdJagAndStillWorksAfterwards() {
        TokenClient.Response tokens = aliceAtAgent();
        String refreshToken = tokens.string("refresh_token");

        TokenClient.Response response = exchange(idJagRequest(refreshToken, REFRESH_TOKEN).add("scope", "todo.write"));

        Map<String, Object> claims = JwtParts.payload(idJag(response));
        assertThat(response.json()).containsEntry("issued_token_type", ID_JAG).containsEntry("token_type", "N_A")
                .doesNotContainKey("refresh_token");
        assertThat(claims).containsEntry("sub", publicSubOfAlice()).containsEntry("aud", PARTNER_AS)
                .containsEntry("scope", "todo.write");
        assertThat(claims.get("auth_time")).isEqualTo(JwtParts.payload(tokens.string("id_token")).get("auth_time"));
        // Not rotated: the client keeps using the very same refresh token.
        TokenClient.Response refreshed = TokenFlows.refresh(server, AGENT, AGENT_SECRET, refreshToken);
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
    }

    @Test
    void aRefreshTokenCanBeExchangedAgainBecauseTheExchangeDoesNotConsumeIt() {
        String refreshToken = aliceAtAgent().string("refresh_token");

        idJag(exchange(idJagRequest(refreshToken, REFRESH_TOKEN)));
        TokenClient.Response again = exchange(idJagRequest(refreshToken, REFRESH_TOKEN));

        assertThat(again.status()).as(again.body()).isEqualTo(200);
    }

    // --- the client ----------------------------------------------------------------------------------

    @Test
    void aPublicClientIsUnauthorizedClient() {
        // A public client cannot be configured with the grant, so the refusal may name either reason.
        TokenClient.Response response = server.tokenClient().post("/token", null, idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("client_id", SPA).encode());

        assertOAuthError(response, 400, "unauthorized_client");
        assertThat(response.string("error_description")).containsAnyOf("public clients may not use",
                "not registered for the");
    }

    @Test
    void aClientWithoutTheTokenExchangeGrantIsUnauthorizedClient() {
        String websIdToken = Flows.aliceAtWeb(server).string("id_token");

        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET, idJagRequest(websIdToken, ID_TOKEN));

        assertRefused(response, "unauthorized_client", "not registered for the");
    }

    @Test
    void aClientWithoutIdJagEntriesMayNotRequestIdJags() {
        String plainIdToken = signIn(server, PLAIN, PLAIN_SECRET, PLAIN_REDIRECT, ALICE, ALICE_PASSWORD, "openid")
                .string("id_token");

        TokenClient.Response response = server.tokenClient().token(PLAIN, PLAIN_SECRET,
                idJagRequest(plainIdToken, ID_TOKEN));

        assertRefused(response, "unauthorized_client", "may not request ID-JAGs");
    }

    // --- the request ---------------------------------------------------------------------------------

    @Test
    void aDPoPHeaderIsInvalidRequest() {
        TokenClient.Response response = server.tokenClient().token(AGENT, AGENT_SECRET,
                idJagRequest(aliceIdToken(), ID_TOKEN), Map.of("DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln"));

        assertRefused(response, "invalid_request", "DPoP is not supported");
    }

    @Test
    void anActorTokenIsNotSupported() {
        String idToken = aliceIdToken();

        TokenClient.Response response = exchange(idJagRequest(idToken, ID_TOKEN)
                .add("actor_token", idToken).add("actor_token_type", ID_TOKEN));

        assertRefused(response, "invalid_request", "actor_token is not supported");
    }

    @Test
    void anActorTokenTypeAloneIsNotSupported() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN).add("actor_token_type", ID_TOKEN));

        assertRefused(response, "invalid_request", "actor_token is not supported");
    }

    @Test
    void authorizationDetailsAreNotSupported() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("authorization_details", "[{\"type\":\"todo\",\"actions\":[\"read\"]}]"));

        assertRefused(response, "invalid_request", "authorization_details is not supported");
    }

    @Test
    void aMissingSubjectTokenIsInvalidRequest() {
        TokenClient.Response response = exchange(idJagRequest("unused", ID_TOKEN).remove("subject_token"));

        assertRefused(response, "invalid_request", "subject_token parameter is required");
    }

    @Test
    void aMissingSubjectTokenTypeIsInvalidRequest() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN).remove("subject_token_type"));

        assertRefused(response, "invalid_request", "subject_token_type parameter is required");
    }

    @Test
    void anUnknownSubjectTokenTypeIsInvalidRequest() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), "urn:ietf:params:oauth:token-type:saml2"));

        assertRefused(response, "invalid_request", "subject_token_type");
    }

    @Test
    void anUnknownRequestedTokenTypeIsInvalidRequest() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .set("requested_token_type", "urn:ietf:params:oauth:token-type:saml2"));

        assertRefused(response, "invalid_request", "requested_token_type");
    }

    @Test
    void aRefreshTokenIsNeverARequestedTokenType() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .set("requested_token_type", REFRESH_TOKEN));

        assertRefused(response, "invalid_request", "requested_token_type");
    }

    @Test
    void anAccessTokenIsNotIssuedWhenTokenTypesListsOnlyTheIdJag() {
        String idToken = signIn(idJagOnly, AGENT, AGENT_SECRET, AGENT_REDIRECT, ALICE, ALICE_PASSWORD, "openid")
                .string("id_token");

        TokenClient.Response response = idJagOnly.tokenClient().token(AGENT, AGENT_SECRET,
                accessTokenRequest(idToken, ID_TOKEN).add("audience", API));

        assertRefused(response, "invalid_request", "requested_token_type");
    }

    @Test
    void withoutRequestedTokenTypeAndWithoutAccessTokensEnabledTheRequestIsInvalid() {
        String idToken = signIn(idJagOnly, AGENT, AGENT_SECRET, AGENT_REDIRECT, ALICE, ALICE_PASSWORD, "openid")
                .string("id_token");

        TokenClient.Response response = idJagOnly.tokenClient().token(AGENT, AGENT_SECRET,
                idJagRequest(idToken, ID_TOKEN).remove("requested_token_type"));

        assertRefused(response, "invalid_request", "requested_token_type");
    }

    @Test
    void theIdJagOnlyServerStillIssuesIdJags() {
        String idToken = signIn(idJagOnly, AGENT, AGENT_SECRET, AGENT_REDIRECT, ALICE, ALICE_PASSWORD, "openid")
                .string("id_token");

        TokenClient.Response response = idJagOnly.tokenClient().token(AGENT, AGENT_SECRET, idJagRequest(idToken, ID_TOKEN));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsEntry("issued_token_type", ID_JAG);
    }

    // --- the ID-JAG policy ---------------------------------------------------------------------------

    @Test
    void aMissingAudienceIsInvalidRequest() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN).remove("audience"));

        assertRefused(response, "invalid_request", "exactly one audience");
    }

    @Test
    void twoAudienceParametersAreInvalidRequest() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN).add("audience", PAIRWISE_AS));

        assertRefused(response, "invalid_request", "exactly one audience");
    }

    @Test
    void anAudienceWithoutAnEntryIsInvalidTarget() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .set("audience", "https://as.unknown.test"));

        assertRefused(response, "invalid_target", "no ID-JAG policy for this audience");
    }

    @Test
    void aResourceOutsideTheEntryIsInvalidTarget() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("resource", TODO_API).add("resource", "https://api.partner.test/payroll"));

        assertRefused(response, "invalid_target", "not allowed for this audience");
    }

    @Test
    void aResourceOfAnotherEntryIsInvalidTarget() {
        // TODO_API is allowed with PARTNER_AS, not with PAIRWISE_AS (which allows none).
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .set("audience", PAIRWISE_AS).add("resource", TODO_API));

        assertRefused(response, "invalid_target", "not allowed for this audience");
    }

    @Test
    void aRelativeResourceIsInvalidTarget() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN).add("resource", "/todo"));

        assertRefused(response, "invalid_target", "absolute URI");
    }

    @Test
    void aResourceWithAFragmentIsInvalidTarget() {
        TokenClient.Response response = exchange(idJagRequest(aliceIdToken(), ID_TOKEN)
                .add("resource", TODO_API + "#section"));

        assertRefused(response, "invalid_target", "absolute URI");
    }

    @Test
    void anAccessTokenSubjectCannotBecomeAnIdJag() {
        String accessToken = aliceAtAgent().string("access_token");

        TokenClient.Response response = exchange(idJagRequest(accessToken, ACCESS_TOKEN));

        assertRefused(response, "invalid_request", "id_token or refresh_token");
    }

    // --- subject_token_type id_token ------------------------------------------------------------------

    @Test
    void anAccessTokenPresentedAsAnIdTokenIsRefused() {
        String accessToken = aliceAtAgent().string("access_token");

        TokenClient.Response response = exchange(idJagRequest(accessToken, ID_TOKEN));

        assertRefused(response, "invalid_request", "not an ID token issued by this server");
    }

    @Test
    void anIdJagPresentedAsAnIdTokenIsRefused() {
        String idJag = idJag(exchange(idJagRequest(aliceIdToken(), ID_TOKEN)));

        TokenClient.Response response = exchange(idJagRequest(idJag, ID_TOKEN));

        assertRefused(response, "invalid_request", "not an ID token issued by this server");
    }

    @Test
    void anEncryptedIdTokenIsRefused() throws Exception {
        // A genuine ID token nested in a JWE: never accepted, whoever could decrypt it.
        RsaJsonWebKey recipient = PartnerIdp.newRsaKey("recipient");
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setPayload(aliceIdToken());
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setContentTypeHeaderValue("JWT");
        jwe.setKey(recipient.getPublicKey());

        TokenClient.Response response = exchange(idJagRequest(jwe.getCompactSerialization(), ID_TOKEN));

        assertRefused(response, "invalid_request", "not an ID token issued by this server");
    }

    @Test
    void anIdTokenSignedWithAKeyOfAnotherServerIsRefused() throws Exception {
        // Everything an ID token of ours has, the kid of our key included, except our signature.
        String genuine = aliceIdToken();
        JsonWebSignature forged = new JsonWebSignature();
        forged.setPayload(JwtParts.json(JwtParts.payload(genuine)));
        forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        forged.setKeyIdHeaderValue((String) JwtParts.header(genuine).get("kid"));
        forged.setHeader("typ", "JWT");
        forged.setKey(PartnerIdp.newRsaKey("foreign").getPrivateKey());

        TokenClient.Response response = exchange(idJagRequest(forged.getCompactSerialization(), ID_TOKEN));

        assertRefused(response, "invalid_request", "not an ID token issued by this server");
    }

    @Test
    void aStringThatIsNoJwtPresentedAsAnIdTokenIsRefused() {
        TokenClient.Response response = exchange(idJagRequest("not-a-jwt", ID_TOKEN));

        assertRefused(response, "invalid_request", "not an ID token issued by this server");
    }

    @Test
    void anotherClientsIdTokenIsRefused() {
        String websIdToken = Flows.aliceAtWeb(server).string("id_token");

        TokenClient.Response response = exchange(idJagRequest(websIdToken, ID_TOKEN));

        assertRefused(response, "invalid_request", "issued to another client");
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        String idToken = aliceIdToken();
        server.clock().advance(Duration.ofMinutes(20)); // ID tokens live 15 minutes

        TokenClient.Response response = exchange(idJagRequest(idToken, ID_TOKEN));

        assertRefused(response, "invalid_request", "subject_token has expired");
    }

    // --- subject_token_type refresh_token -------------------------------------------------------------

    @Test
    void anUnknownRefreshTokenIsRefused() {
        TokenClient.Response response = exchange(idJagRequest("bm90LWEtcmVmcmVzaC10b2tlbi1vZi1vdXJz", REFRESH_TOKEN));

        assertRefused(response, "invalid_request", "not a refresh token issued by this server");
    }

    @Test
    void anotherClientsRefreshTokenIsRefused() {
        String websRefreshToken = Flows.aliceAtWeb(server).string("refresh_token");

        TokenClient.Response response = exchange(idJagRequest(websRefreshToken, REFRESH_TOKEN));

        assertRefused(response, "invalid_request", "issued to another client");
    }

    @Test
    void aRotatedOutRefreshTokenIsRefusedAndItsWholeFamilyIsRevoked() {
        String original = aliceAtAgent().string("refresh_token");
        TokenClient.Response rotated = TokenFlows.refresh(server, AGENT, AGENT_SECRET, original);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String current = rotated.string("refresh_token");
        assertThat(current).isNotEqualTo(original);

        TokenClient.Response response = exchange(idJagRequest(original, REFRESH_TOKEN));

        assertRefused(response, "invalid_request", "already rotated");
        // SPEC §4: the reuse revoked the family, so the current refresh token no longer works either.
        assertOAuthError(TokenFlows.refresh(server, AGENT, AGENT_SECRET, current), 400, "invalid_grant");
    }

    @Test
    void aRevokedRefreshTokenIsRefused() {
        String refreshToken = aliceAtAgent().string("refresh_token");
        TokenClient.Response revoked = server.tokenClient().post("/revoke", TokenClient.basic(AGENT, AGENT_SECRET),
                Form.of("token", refreshToken, "token_type_hint", "refresh_token").encode());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

        TokenClient.Response response = exchange(idJagRequest(refreshToken, REFRESH_TOKEN));

        assertRefused(response, "invalid_request", "has been revoked");
    }

    @Test
    void anExpiredRefreshTokenIsRefused() {
        String refreshToken = aliceAtAgent().string("refresh_token");
        server.clock().advance(Duration.ofMinutes(65)); // refresh tokens live an hour in this class

        TokenClient.Response response = exchange(idJagRequest(refreshToken, REFRESH_TOKEN));

        assertRefused(response, "invalid_request", "subject_token has expired");
    }

    @Test
    void aRefreshTokenWhoseGrantLacksOpenidCannotBecomeAnIdJag() {
        TokenClient.Response oauthOnly = signIn(server, AGENT, AGENT_SECRET, AGENT_REDIRECT, ALICE, ALICE_PASSWORD,
                "profile");
        assertThat(oauthOnly.json()).doesNotContainKey("id_token");
        String refreshToken = oauthOnly.string("refresh_token");
        assertThat(refreshToken).as(oauthOnly.body()).isNotBlank();

        TokenClient.Response response = exchange(idJagRequest(refreshToken, REFRESH_TOKEN));

        assertRefused(response, "invalid_request", "does not include openid");
    }

    // --- the subject's user ---------------------------------------------------------------------------

    @Test
    void theTokensOfADisabledUserAreNoLongerExchanged() {
        TokenClient.Response tokens = signIn(server, AGENT, AGENT_SECRET, AGENT_REDIRECT, DORA, DORA_PASSWORD, FULL_SCOPE);
        UserStore users = server.app().stores().users();
        users.upsert(users.findByUsername(DORA).orElseThrow().withEnabled(false));

        assertRefused(exchange(idJagRequest(tokens.string("id_token"), ID_TOKEN)), "invalid_request", "no longer active");
        assertRefused(exchange(idJagRequest(tokens.string("refresh_token"), REFRESH_TOKEN)), "invalid_request",
                "no longer active");
    }

    // --- requested_token_type access_token -----------------------------------------------------------

    @Test
    void anIdTokenIsExchangedForAnAccessTokenForAnAllowedAudienceWithNarrowedScope() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ID_TOKEN)
                .add("audience", API).add("scope", "profile"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsEntry("issued_token_type", ACCESS_TOKEN).containsEntry("token_type", "Bearer")
                .containsEntry("scope", "profile").doesNotContainKeys("refresh_token", "id_token");
        assertThat(number(response.json(), "expires_in")).isEqualTo(900);
        String accessToken = response.string("access_token");
        assertThat(JwtParts.header(accessToken)).containsEntry("typ", "at+jwt");
        Map<String, Object> claims = JwtParts.payload(accessToken);
        assertThat(claims).containsEntry("iss", server.issuer()).containsEntry("sub", publicSubOfAlice())
                .containsEntry("client_id", AGENT).containsEntry("scope", "profile");
        assertThat(claims.get("aud")).isIn(API, List.of(API));
    }

    @Test
    void aRefreshTokenIsExchangedForAnAccessTokenForAResourceOfTheClient() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceAtAgent().string("refresh_token"), REFRESH_TOKEN)
                .add("resource", API2).add("scope", "email"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, Object> claims = JwtParts.payload(response.string("access_token"));
        assertThat(claims.get("aud")).isIn(API2, List.of(API2));
        assertThat(claims).containsEntry("scope", "email");
    }

    @Test
    void withoutRequestedTokenTypeAnAccessTokenIsIssued() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ID_TOKEN)
                .remove("requested_token_type").add("audience", API));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsEntry("issued_token_type", ACCESS_TOKEN);
        assertThat(JwtParts.header(response.string("access_token"))).containsEntry("typ", "at+jwt");
    }

    @Test
    void withoutAScopeParameterTheAccessTokenCarriesWhatTheUserGrantedExceptOfflineAccess() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ID_TOKEN).add("audience", API));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(TokenFlows.scopeSet(response.string("scope"))).contains("openid").doesNotContain("offline_access");
    }

    @Test
    void anAccessTokenForAnAudienceOutsideTheClientsAudienceIsInvalidTarget() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ID_TOKEN)
                .add("audience", "https://api.elsewhere.test"));

        assertRefused(response, "invalid_target", "may not request tokens for");
    }

    @Test
    void anAccessTokenForAResourceOutsideTheClientsAudienceIsInvalidTarget() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ID_TOKEN)
                .add("resource", "https://api.elsewhere.test"));

        assertRefused(response, "invalid_target", "may not request tokens for");
    }

    @Test
    void anAccessTokenWithAScopeTheClientDoesNotHaveIsInvalidScope() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ID_TOKEN)
                .add("audience", API).add("scope", "profile phone"));

        assertRefused(response, "invalid_scope", "scope not allowed");
    }

    @Test
    void anAccessTokenWithOfflineAccessIsInvalidScope() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ID_TOKEN)
                .add("audience", API).add("scope", "offline_access"));

        assertRefused(response, "invalid_scope", "scope not allowed");
    }

    @Test
    void anAccessTokenBeyondTheRefreshTokensScopeIsInvalidScope() {
        String refreshToken = signIn(server, AGENT, AGENT_SECRET, AGENT_REDIRECT, ALICE, ALICE_PASSWORD,
                "openid offline_access").string("refresh_token");

        TokenClient.Response response = exchange(accessTokenRequest(refreshToken, REFRESH_TOKEN)
                .add("audience", API).add("scope", "email"));

        assertRefused(response, "invalid_scope", "scope not allowed");
    }

    @Test
    void anAccessTokenSubjectIsExchangedForAnotherAccessToken() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceAtAgent().string("access_token"), ACCESS_TOKEN)
                .add("audience", API2).add("scope", "openid"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(JwtParts.payload(response.string("access_token"))).containsEntry("sub", publicSubOfAlice());
    }

    @Test
    void anUnknownAccessTokenSubjectIsRefused() {
        TokenClient.Response response = exchange(accessTokenRequest("not-an-access-token", ACCESS_TOKEN)
                .add("audience", API));

        assertRefused(response, "invalid_request", "not an active access token issued by this server");
    }

    @Test
    void anIdTokenPresentedAsAnAccessTokenIsRefused() {
        TokenClient.Response response = exchange(accessTokenRequest(aliceIdToken(), ACCESS_TOKEN).add("audience", API));

        assertRefused(response, "invalid_request", "not an active access token issued by this server");
    }

    @Test
    void aRevokedAccessTokenSubjectIsRefused() {
        String accessToken = aliceAtAgent().string("access_token");
        TokenClient.Response revoked = server.tokenClient().post("/revoke", TokenClient.basic(AGENT, AGENT_SECRET),
                Form.of("token", accessToken, "token_type_hint", "access_token").encode());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

        TokenClient.Response response = exchange(accessTokenRequest(accessToken, ACCESS_TOKEN).add("audience", API));

        assertRefused(response, "invalid_request", "not an active access token issued by this server");
    }

    @Test
    void anotherClientsAccessTokenSubjectIsRefused() {
        String websAccessToken = Flows.aliceAtWeb(server).string("access_token");

        TokenClient.Response response = exchange(accessTokenRequest(websAccessToken, ACCESS_TOKEN).add("audience", API));

        assertRefused(response, "invalid_request", "issued to another client");
    }

    // --- discovery and the switch --------------------------------------------------------------------

    @Test
    void discoveryListsTheTokenExchangeGrantAndTheIdJagAsARequestableType() {
        Map<String, Object> metadata = server.tokenClient().get("/.well-known/openid-configuration", null).json();

        assertThat(strings(metadata.get("grant_types_supported"))).contains(TOKEN_EXCHANGE);
        assertThat(metadata).containsEntry("identity_chaining_requested_token_types_supported", List.of(ID_JAG));
    }

    @Test
    void withTokenExchangeDisabledDiscoveryListsNeitherTheGrantNorTheIdJag() {
        Map<String, Object> metadata = disabled.tokenClient().get("/.well-known/openid-configuration", null).json();

        assertThat(strings(metadata.get("grant_types_supported"))).isNotEmpty().doesNotContain(TOKEN_EXCHANGE);
        assertThat(metadata).doesNotContainKey("identity_chaining_requested_token_types_supported");
    }

    @Test
    void withTokenExchangeDisabledTheGrantIsUnsupported() {
        String websIdToken = Flows.aliceAtWeb(disabled).string("id_token");

        TokenClient.Response response = disabled.tokenClient().token(WEB, WEB_SECRET, idJagRequest(websIdToken, ID_TOKEN));

        assertOAuthError(response, 400, "unsupported_grant_type");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<String>) value;
    }
}
