package dev.tessera.server.http;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.config.AccountLinkConfig;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.Form;
import dev.tessera.server.testsupport.IdJagAssertion;
import dev.tessera.server.testsupport.JwtParts;
import dev.tessera.server.testsupport.PartnerIdp;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB;
import static dev.tessera.server.testsupport.TesseraTestServer.SPA;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accepting side of cross-app access (SPEC §6): the jwt-bearer grant (RFC 7523) redeeming ID-JAGs of trusted
 * issuers for this server's own access tokens. Every assertion is minted with jose4j by a partner IdP stand-in
 * ({@link PartnerIdp}), never with Nimbus, which the server uses. One check of SPEC §6 per test; everything
 * else about each assertion is valid, so a refusal is for the reason the test names.
 */
class JwtBearerGrantTest {
    static final String JWT_BEARER = ClientConfig.JWT_BEARER;

    static final String AGENT = "agent";
    static final String AGENT_SECRET = "agent-secret-0123456789-0123456789-abcdef";
    /** A jwt-bearer client that no trusted issuer lists. */
    static final String OTHER_AGENT = "other-agent";
    static final String OTHER_AGENT_SECRET = "other-agent-secret-0123456789-0123456789";
    static final String TODO_API = "https://api.todo.test";
    static final String TODO_API2 = "https://api2.todo.test";

    static final String ALICE_THERE = "00u-alice";
    static final String BOB_THERE = "00u-bob";
    static final String ERIN = "erin";
    static final String ERIN_THERE = "00u-erin";

    /** The partner of most tests. */
    static PartnerIdp partner;
    /** Only for the key rotation test. */
    static PartnerIdp rotating;
    /** Only for the unknown-kid refetch limit. */
    static PartnerIdp kids;
    /** Only for the outage test: stopped before its JWKS is ever fetched. */
    static PartnerIdp down;
    /** Another trusted issuer, where nobody is linked. */
    static PartnerIdp other;
    static TesseraTestServer server;
    /** The standard test server: no trusted issuers. */
    static TesseraTestServer untrusting;

    @BeforeAll
    static void start() {
        partner = PartnerIdp.start("https://idp.partner.test");
        rotating = PartnerIdp.start("https://idp.rotating.test");
        kids = PartnerIdp.start("https://idp.kids.test");
        down = PartnerIdp.start("https://idp.down.test");
        other = PartnerIdp.start("https://idp.other.test");
        server = TesseraTestServer.start(JwtBearerGrantTest::configure);
        UserStore users = server.app().stores().users();
        users.upsert(users.findByUsername(ERIN).orElseThrow().withEnabled(false));
        untrusting = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable each : new AutoCloseable[] {server, untrusting, partner, rotating, kids, down, other}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    static TesseraConfig configure(TesseraConfig config) {
        List<ClientConfig> clients = new ArrayList<>(config.clients());
        clients.add(ClientConfig.builder(AGENT).secret(AGENT_SECRET).grantTypes(List.of(JWT_BEARER))
                .scopes(List.of("todo.read", "todo.write")).audience(List.of(TODO_API, TODO_API2))
                .accessTokenTtl(Duration.ofMinutes(10)).build());
        clients.add(ClientConfig.builder(OTHER_AGENT).secret(OTHER_AGENT_SECRET).grantTypes(List.of(JWT_BEARER))
                .scopes(List.of("todo.read")).audience(List.of(TODO_API)).build());
        List<UserConfig> users = new ArrayList<>();
        for (UserConfig user : config.users()) {
            if (user.username().equals(ALICE)) {
                users.add(withLinks(user, List.of(new AccountLinkConfig(partner.issuer(), ALICE_THERE),
                        new AccountLinkConfig(rotating.issuer(), ALICE_THERE),
                        new AccountLinkConfig(kids.issuer(), ALICE_THERE),
                        new AccountLinkConfig(down.issuer(), ALICE_THERE))));
            } else if (user.username().equals(BOB)) {
                users.add(withLinks(user, List.of(new AccountLinkConfig(partner.issuer(), BOB_THERE))));
            } else {
                users.add(user);
            }
        }
        users.add(UserConfig.builder(ERIN).password("erin's password, disabled soon")
                .links(List.of(new AccountLinkConfig(partner.issuer(), ERIN_THERE))).build());
        return config.withClients(clients).withUsers(users).withTrustedIssuers(List.of(
                partner.trustedFor(AGENT), rotating.trustedFor(AGENT), kids.trustedFor(AGENT), down.trustedFor(AGENT),
                other.trustedFor(AGENT)));
    }

    private static UserConfig withLinks(UserConfig user, List<AccountLinkConfig> links) {
        return new UserConfig(user.id(), user.username(), user.password(), user.passwordHash(), user.roles(),
                user.claims(), user.verifiedClaims(), links);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static Instant now() {
        return server.clock().instant();
    }

    /** A valid ID-JAG of the partner for the agent and Alice, with both of the agent's scopes. */
    private static IdJagAssertion assertion() {
        return partner.assertion(server.issuer(), AGENT, ALICE_THERE, now()).scope("todo.read todo.write");
    }

    private static Form grant(String assertion) {
        return Form.of("grant_type", JWT_BEARER, "assertion", assertion);
    }

    private static TokenClient.Response redeem(String assertion) {
        return redeem(grant(assertion));
    }

    private static TokenClient.Response redeem(Form form) {
        return server.tokenClient().token(AGENT, AGENT_SECRET, form);
    }

    private static Map<String, Object> accessTokenClaims(TokenClient.Response response) {
        return JwtParts.payload(redeemed(response).string("access_token"));
    }

    /** The response, once it is known to be a success. */
    private static TokenClient.Response redeemed(TokenClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static void assertRefused(TokenClient.Response response, String error, String phrase) {
        assertOAuthError(response, 400, error);
        assertThat(response.string("error_description")).as(response.body()).contains(phrase);
    }

    private static void assertInvalidGrant(TokenClient.Response response, String phrase) {
        assertRefused(response, "invalid_grant", phrase);
    }

    private static long number(Map<String, Object> json, String member) {
        Object value = json.get(member);
        assertThat(value).as(member).isInstanceOf(Number.class);
        return ((Number) value).longValue();
    }

    // --- the access token --------------------------------------------------------------------------

    @Test
    void anIdJagOfATrustedIssuerBecomesAnAccessTokenOfTheLinkedLocalUser() {
        TokenClient.Response response = redeem(assertion().sign());

        Map<String, Object> claims = accessTokenClaims(response);
        assertThat(JwtParts.header(response.string("access_token"))).containsEntry("typ", "at+jwt");
        assertThat(claims).containsEntry("iss", server.issuer()).containsEntry("sub", UserConfig.defaultId(ALICE))
                .containsEntry("client_id", AGENT);
        assertThat(TokenFlows.scopeSet((String) claims.get("scope"))).containsExactlyInAnyOrder("todo.read", "todo.write");
        assertThat(response.json()).containsEntry("token_type", "Bearer")
                .doesNotContainKeys("refresh_token", "issued_token_type", "id_token");
        assertThat(TokenFlows.scopeSet(response.string("scope"))).containsExactlyInAnyOrder("todo.read", "todo.write");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void theAccessTokenVerifiesWithJose4jAgainstTheServersJwks() throws Exception {
        String accessToken = redeemed(redeem(assertion().resource(TODO_API).sign())).string("access_token");
        JsonWebKeySet jwks = new JsonWebKeySet(server.tokenClient().get("/.well-known/jwks.json", null).body());

        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA256)
                .setExpectedType(true, "at+jwt")
                .setExpectedIssuer(server.issuer())
                .setExpectedAudience(TODO_API)
                .setRequireSubject().setRequireJwtId().setRequireExpirationTime()
                .setEvaluationTime(NumericDate.fromSeconds(now().getEpochSecond()))
                .build().processToClaims(accessToken);

        assertThat(claims.getSubject()).isEqualTo(UserConfig.defaultId(ALICE));
    }

    @Test
    void theAccessTokenLivesTheClientsAccessTokenLifetimeNotUntilTheAssertionExpires() {
        // The assertion expires in two minutes; the client's access tokens live ten.
        TokenClient.Response response = redeem(assertion().expiresAt(now().plus(Duration.ofMinutes(2))).sign());

        Map<String, Object> claims = accessTokenClaims(response);
        assertThat(number(response.json(), "expires_in")).isEqualTo(600);
        assertThat(number(claims, "exp") - number(claims, "iat")).isEqualTo(600);
    }

    @Test
    void withoutAnAssertedResourceTheAudienceIsTheClientsDefaultAndNoResourceIsEchoed() {
        TokenClient.Response response = redeem(assertion().sign());

        Map<String, Object> claims = accessTokenClaims(response);
        assertThat(claims.get("aud")).isEqualTo(List.of(TODO_API, TODO_API2));
        assertThat(response.json()).doesNotContainKey("resource");
    }

    @Test
    void oneAssertedResourceBecomesTheAudienceAndIsEchoedAsAString() {
        TokenClient.Response response = redeem(assertion().resource(TODO_API2).sign());

        Map<String, Object> claims = accessTokenClaims(response);
        assertThat(claims.get("aud")).isIn(TODO_API2, List.of(TODO_API2));
        assertThat(response.json()).containsEntry("resource", TODO_API2);
    }

    @Test
    void severalAssertedResourcesBecomeTheAudienceAndAreEchoedAsAnArray() {
        TokenClient.Response response = redeem(assertion().resource(TODO_API, TODO_API2).sign());

        Map<String, Object> claims = accessTokenClaims(response);
        assertThat(claims.get("aud")).isEqualTo(List.of(TODO_API, TODO_API2));
        assertThat(response.json()).containsEntry("resource", List.of(TODO_API, TODO_API2));
    }

    @Test
    void aResourceParameterNarrowsTheAudienceToIt() {
        TokenClient.Response response = redeem(grant(assertion().resource(TODO_API, TODO_API2).sign())
                .add("resource", TODO_API2));

        Map<String, Object> claims = accessTokenClaims(response);
        assertThat(claims.get("aud")).isIn(TODO_API2, List.of(TODO_API2));
        assertThat(response.json()).containsEntry("resource", TODO_API2);
    }

    @Test
    void aResourceParameterThatIsNotPartOfTheAssertionIsInvalidTarget() {
        TokenClient.Response response = redeem(grant(assertion().resource(TODO_API).sign()).add("resource", TODO_API2));

        assertRefused(response, "invalid_target", "not part of the assertion");
    }

    @Test
    void anAssertedResourceTheClientMayNotTargetIsInvalidGrant() {
        TokenClient.Response response = redeem(assertion().resource(TODO_API, "https://api.payroll.test").sign());

        assertInvalidGrant(response, "resource");
    }

    @Test
    void assertedScopesThatAreUnknownOrNotTheClientsAreDroppedAndTheScopeMemberSaysSo() {
        TokenClient.Response response = redeem(assertion().scope("todo.read calendar.read openid").sign());

        assertThat(accessTokenClaims(response)).containsEntry("scope", "todo.read");
        assertThat(response.json()).containsEntry("scope", "todo.read");
    }

    @Test
    void aScopeParameterNarrowsTheAssertedScope() {
        TokenClient.Response response = redeem(grant(assertion().sign()).add("scope", "todo.write"));

        assertThat(accessTokenClaims(response)).containsEntry("scope", "todo.write");
        assertThat(response.json()).containsEntry("scope", "todo.write");
    }

    @Test
    void whenNoAssertedScopeIsOneOfTheClientsTheGrantIsInvalidScope() {
        TokenClient.Response response = redeem(assertion().scope("calendar.read mail.send").sign());

        assertRefused(response, "invalid_scope", "no scope");
    }

    @Test
    void whenTheScopeParameterAsksOnlyForScopesTheAssertionLacksTheGrantIsInvalidScope() {
        TokenClient.Response response = redeem(grant(assertion().scope("todo.read").sign()).add("scope", "todo.write"));

        assertRefused(response, "invalid_scope", "no scope");
    }

    @Test
    void anAssertionWithoutAScopeIsInvalidScope() {
        // Nothing asserted, so nothing survives the intersection with the client's scopes (SPEC §6).
        TokenClient.Response response = redeem(assertion().without("scope").sign());

        assertRefused(response, "invalid_scope", "no scope");
    }

    @Test
    void anEs256AssertionSignedWithThePartnersEcKeyIsAccepted() {
        String signed = assertion().signedBy(partner.ecKey()).sign();
        assertThat(JwtParts.header(signed)).containsEntry("alg", "ES256").containsEntry("kid", partner.ecKey().getKeyId());

        TokenClient.Response response = redeem(signed);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void anAudienceAsAOneElementArrayIsAccepted() {
        String signed = assertion().audiences(server.issuer()).sign();
        assertThat(JwtParts.payload(signed).get("aud")).isEqualTo(List.of(server.issuer()));

        TokenClient.Response response = redeem(signed);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void anAssertionThatExpiredWithinTheClockSkewIsAccepted() {
        Instant now = now();
        TokenClient.Response response = redeem(assertion().issuedAt(now.minus(Duration.ofMinutes(3)))
                .expiresAt(now.minusSeconds(30)).sign());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void anAssertionNotYetValidWithinTheClockSkewIsAccepted() {
        TokenClient.Response response = redeem(assertion().notBefore(now().plusSeconds(30)).sign());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    // --- the client and the request ----------------------------------------------------------------

    @Test
    void aPublicClientIsUnauthorizedClient() {
        // A public client cannot be configured with the grant, so the refusal may name either reason.
        TokenClient.Response response = server.tokenClient().post("/token", null,
                grant(assertion().clientId(SPA).sign()).add("client_id", SPA).encode());

        assertOAuthError(response, 400, "unauthorized_client");
        assertThat(response.string("error_description")).containsAnyOf("public clients may not use",
                "not registered for the");
    }

    @Test
    void aClientWithoutTheJwtBearerGrantIsUnauthorizedClient() {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET,
                grant(assertion().clientId(WEB).sign()));

        assertRefused(response, "unauthorized_client", "not registered for the");
    }

    @Test
    void aDPoPHeaderIsInvalidRequest() {
        TokenClient.Response response = server.tokenClient().token(AGENT, AGENT_SECRET, grant(assertion().sign()),
                Map.of("DPoP", "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln"));

        assertRefused(response, "invalid_request", "DPoP is not supported");
    }

    @Test
    void aMissingAssertionIsInvalidRequest() {
        TokenClient.Response response = redeem(Form.of("grant_type", JWT_BEARER));

        assertRefused(response, "invalid_request", "assertion parameter is required");
    }

    @Test
    void anAssertionThatIsNoJwtIsInvalidGrant() {
        assertInvalidGrant(redeem("not-a-jwt"), "assertion is not a JWT");
    }

    @Test
    void anEncryptedAssertionIsInvalidGrant() {
        String jwe = assertion().encryptedTo(partner.rsaKey().getPublicKey());
        assertThat(jwe.split("\\.", -1)).hasSize(5);

        assertInvalidGrant(redeem(jwe), "encrypted assertions are not accepted");
    }

    @Test
    void anUnsecuredAssertionWithAlgNoneIsInvalidGrant() {
        String unsecured = assertion().unsecured();
        assertThat(JwtParts.header(unsecured)).containsEntry("alg", "none");

        assertInvalidGrant(redeem(unsecured), "must be signed");
    }

    @Test
    void anHs256AssertionKeyedWithThePartnersPublicModulusIsInvalidGrant() {
        // The algorithm confusion attack: anyone can read the modulus from the JWKS.
        String n = (String) partner.rsaKey().toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).get("n");
        String hmac = assertion().signedWithHmac(Base64.getUrlDecoder().decode(n));
        assertThat(JwtParts.header(hmac)).containsEntry("alg", "HS256").containsEntry("kid", partner.rsaKey().getKeyId());

        assertInvalidGrant(redeem(hmac), "algorithm is not accepted");
    }

    // --- the issuer --------------------------------------------------------------------------------

    @Test
    void anAssertionWithoutAnIssuerIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().without("iss").sign()), "issuer is not trusted");
    }

    @Test
    void anAssertionOfAnIssuerThatIsNotListedIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().issuer("https://idp.stranger.test").sign()), "issuer is not trusted");
    }

    @Test
    void aSelfIssuedIdJagIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().issuer(server.issuer()).sign()), "issued by this server");
    }

    @Test
    void aClientNotInTheIssuersAllowedClientsIsInvalidGrant() {
        TokenClient.Response response = server.tokenClient().token(OTHER_AGENT, OTHER_AGENT_SECRET,
                grant(assertion().clientId(OTHER_AGENT).sign()));

        assertInvalidGrant(response, "may not present assertions from");
    }

    @Test
    void aPartnerWhoseJwksIsDownGetsInvalidGrantAndTheServerStaysUp() {
        down.stop();
        IdJagAssertion fromDown = down.assertion(server.issuer(), AGENT, ALICE_THERE, now()).scope("todo.read");

        assertInvalidGrant(redeem(fromDown.sign()), "keys could not be fetched");
        assertThat(server.tokenClient().get("/.well-known/openid-configuration", null).status()).isEqualTo(200);
        TokenClient.Response stillServed = redeem(assertion().sign());
        assertThat(stillServed.status()).as(stillServed.body()).isEqualTo(200);
    }

    // --- keys and signature ------------------------------------------------------------------------

    @Test
    void aKidThePartnerDoesNotPublishIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().kid("never-published").sign()), "key that issuer does not publish");
    }

    @Test
    void aSignatureByAnUntrustedKeyCarryingTheTrustedKidIsInvalidGrant() {
        RsaJsonWebKey attacker = PartnerIdp.newRsaKey("attacker");
        String forged = assertion().signingKey(attacker.getPrivateKey()).sign();
        assertThat(JwtParts.header(forged)).containsEntry("kid", partner.rsaKey().getKeyId());

        assertInvalidGrant(redeem(forged), "signature does not verify");
    }

    @Test
    void aTypOtherThanOauthIdJagJwtIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().typ("JWT").sign()), "typ must be oauth-id-jag+jwt");
    }

    @Test
    void anAssertionWithoutTypIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().typ(null).sign()), "typ must be oauth-id-jag+jwt");
    }

    @Test
    void aKeyRotationAtThePartnerIsPickedUpOnTheNextAssertion() {
        IdJagAssertion first = rotating.assertion(server.issuer(), AGENT, ALICE_THERE, now()).scope("todo.read");
        redeemed(redeem(first.sign()));
        // The server refetches on an unknown kid at most once a minute on its own clock; let that minute pass,
        // as it normally has between two rotations.
        server.clock().advance(Duration.ofSeconds(61));
        RsaJsonWebKey next = PartnerIdp.newRsaKey("rotated-" + System.nanoTime());
        rotating.publish(next, rotating.ecKey());
        int before = rotating.jwksRequests();

        TokenClient.Response response = redeem(rotating.assertion(server.issuer(), AGENT, ALICE_THERE, now())
                .scope("todo.read").signedBy(next).sign());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(rotating.jwksRequests() - before).isEqualTo(1);
    }

    @Test
    void unknownKidsRefetchThePartnersJwksAtMostOnceAMinute() {
        // The limit runs on the server's injected clock, so advancing MutableClock is what lets a minute pass.
        redeemed(redeem(kids.assertion(server.issuer(), AGENT, ALICE_THERE, now()).scope("todo.read").sign()));
        server.clock().advance(Duration.ofSeconds(61));
        int start = kids.jwksRequests();

        assertInvalidGrant(redeem(kids.assertion(server.issuer(), AGENT, ALICE_THERE, now()).scope("todo.read")
                .kid("unknown-1").sign()), "key that issuer does not publish");
        assertInvalidGrant(redeem(kids.assertion(server.issuer(), AGENT, ALICE_THERE, now()).scope("todo.read")
                .kid("unknown-2").sign()), "key that issuer does not publish");
        assertThat(kids.jwksRequests() - start).as("refetches for two unknown kids within a minute").isLessThanOrEqualTo(1);

        server.clock().advance(Duration.ofSeconds(61));
        int later = kids.jwksRequests();
        assertInvalidGrant(redeem(kids.assertion(server.issuer(), AGENT, ALICE_THERE, now()).scope("todo.read")
                .kid("unknown-3").sign()), "key that issuer does not publish");
        assertThat(kids.jwksRequests() - later).as("refetches for an unknown kid a minute later").isEqualTo(1);
    }

    // --- the claims --------------------------------------------------------------------------------

    @Test
    void anAudienceOtherThanThisServerIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().audience("https://as.elsewhere.test").sign()), "audience must be this server");
    }

    @Test
    void anAudienceArrayNamingThisServerAndAnotherIsInvalidGrant() {
        String signed = assertion().audiences(server.issuer(), "https://as.elsewhere.test").sign();

        assertInvalidGrant(redeem(signed), "audience must be this server");
    }

    @Test
    void anAssertionWithoutAudienceIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().without("aud").sign()), "audience must be this server");
    }

    @Test
    void aClientIdClaimOfAnotherClientIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().clientId("someone-else").sign()), "client_id does not match");
    }

    @Test
    void anAssertionWithoutClientIdIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().without("client_id").sign()), "client_id does not match");
    }

    @Test
    void anAssertionWithoutSubIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().without("sub").sign()), "sub is required");
    }

    @Test
    void anAssertionWithoutExpIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().without("exp").sign()), "has expired");
    }

    @Test
    void anAssertionExpiredBeyondTheClockSkewIsInvalidGrant() {
        Instant now = now();
        String expired = assertion().issuedAt(now.minus(Duration.ofMinutes(4))).expiresAt(now.minusSeconds(90)).sign();

        assertInvalidGrant(redeem(expired), "has expired");
    }

    @Test
    void anAssertionWhoseNbfIsInTheFutureIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().notBefore(now().plus(Duration.ofMinutes(2))).sign()), "not valid yet");
    }

    @Test
    void anAssertionWithoutIatIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().without("iat").sign()), "iat is required");
    }

    @Test
    void anAssertionIssuedInTheFutureIsInvalidGrant() {
        Instant now = now();
        String future = assertion().issuedAt(now.plus(Duration.ofMinutes(2))).expiresAt(now.plus(Duration.ofMinutes(4)))
                .sign();

        assertInvalidGrant(redeem(future), "iat is in the future");
    }

    @Test
    void anAssertionLivingLongerThanMaxAssertionLifetimeIsInvalidGrant() {
        Instant now = now();
        String longLived = assertion().issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(6))).sign();

        assertInvalidGrant(redeem(longLived), "lifetime exceeds");
    }

    @Test
    void anIdJagBoundToAKeyWithCnfIsInvalidGrant() {
        String bound = assertion().claim("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")).sign();

        assertInvalidGrant(redeem(bound), "cnf");
    }

    @Test
    void anAssertionWithoutJtiIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().without("jti").sign()), "jti is required");
    }

    @Test
    void aReplayedIdJagIsInvalidGrantAndTellsTheClientToGetANewOne() {
        String idJag = assertion().sign();
        TokenClient.Response first = redeem(idJag);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        assertInvalidGrant(redeem(idJag), "get a new ID-JAG");
    }

    @Test
    void aSecondAssertionWithTheSameIssuerAndJtiIsAReplay() {
        IdJagAssertion original = assertion();
        redeemed(redeem(original.sign()));

        // Re-signed with another scope and a later iat: still the same (iss, jti).
        String again = assertion().jti(original.jti()).scope("todo.read").issuedAt(now().plusSeconds(1)).sign();

        assertInvalidGrant(redeem(again), "get a new ID-JAG");
    }

    // --- the user ----------------------------------------------------------------------------------

    @Test
    void aSubjectLinkedToNoLocalAccountIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().subject("00u-stranger").sign()), "no local account is linked");
    }

    @Test
    void aLinkHoldsOnlyForItsIssuer() {
        // Bob is linked at the partner, not at the other trusted issuer, which also sends sub 00u-bob here.
        String elsewhere = other.assertion(server.issuer(), AGENT, BOB_THERE, now()).scope("todo.read").sign();

        assertInvalidGrant(redeem(elsewhere), "no local account is linked");
        assertThat(accessTokenClaims(redeem(assertion().subject(BOB_THERE).sign())))
                .containsEntry("sub", UserConfig.defaultId(BOB));
    }

    @Test
    void aLinkedUserWhoIsDisabledIsInvalidGrant() {
        assertInvalidGrant(redeem(assertion().subject(ERIN_THERE).sign()), "no longer active");
    }

    // --- discovery and the switch ------------------------------------------------------------------

    @Test
    void discoveryListsTheJwtBearerGrantAndTheIdJagProfile() {
        Map<String, Object> metadata = server.tokenClient().get("/.well-known/openid-configuration", null).json();

        assertThat(strings(metadata.get("grant_types_supported"))).contains(JWT_BEARER);
        assertThat(metadata).containsEntry("authorization_grant_profiles_supported",
                List.of("urn:ietf:params:oauth:grant-profile:id-jag"));
    }

    @Test
    void discoveryNeverNamesATrustedIssuer() {
        String document = server.tokenClient().get("/.well-known/openid-configuration", null).body();
        String rfc8414 = server.tokenClient().get("/.well-known/oauth-authorization-server", null).body();

        for (PartnerIdp each : Arrays.asList(partner, rotating, kids, down, other)) {
            assertThat(document).doesNotContain(each.issuer()).doesNotContain(each.jwksUri());
            assertThat(rfc8414).doesNotContain(each.issuer()).doesNotContain(each.jwksUri());
        }
        assertThat(document).doesNotContain("partner.test");
    }

    @Test
    void withoutTrustedIssuersDiscoveryListsNeitherTheGrantNorTheProfile() {
        Map<String, Object> metadata = untrusting.tokenClient().get("/.well-known/openid-configuration", null).json();

        assertThat(strings(metadata.get("grant_types_supported"))).isNotEmpty().doesNotContain(JWT_BEARER);
        assertThat(metadata).doesNotContainKey("authorization_grant_profiles_supported");
    }

    @Test
    void withoutTrustedIssuersTheGrantIsUnsupported() {
        String idJag = partner.assertion(untrusting.issuer(), TesseraTestServer.SERVICE, ALICE_THERE,
                untrusting.clock().instant()).scope("api.read").sign();

        TokenClient.Response response = untrusting.tokenClient().token(TesseraTestServer.SERVICE,
                TesseraTestServer.SERVICE_SECRET, grant(idJag));

        assertOAuthError(response, 400, "unsupported_grant_type");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<String>) value;
    }
}
