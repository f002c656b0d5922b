package dev.tessera.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.AccountLinkConfig;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.IdJagConfig;
import dev.tessera.server.config.TokenExchangeConfig;
import dev.tessera.server.config.TrustedIssuerConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both halves of cross-app access between two Tessera servers: the identity provider issues an ID-JAG by token
 * exchange, the resource authorization server (trusting the first one's JWKS) redeems it with the jwt-bearer
 * grant. The per-rule tests of each side live in TokenExchangeIdJagTest and JwtBearerGrantTest.
 */
class CrossAppAccessTest {
    static final String AGENT = "agent";
    static final String AGENT_SECRET = "agent-secret-0123456789-0123456789-abcdef";
    static final String TODO_API = "https://api.todo.test";
    static final String ID_JAG_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    // Alice has another id at the resource AS; only the link ties her IdP account to it.
    static final String ALICE_AT_RESOURCE_AS = "alice-local-0001";

    static TesseraTestServer idp;
    static TesseraTestServer resourceAs;

    @BeforeAll
    static void start() {
        int idpPort = TesseraTestServer.reservePort();
        int asPort = TesseraTestServer.reservePort();
        String idpIssuer = "http://127.0.0.1:" + idpPort;
        String asIssuer = "http://127.0.0.1:" + asPort;
        idp = TesseraTestServer.startOn(idpPort, config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(AGENT).secret(AGENT_SECRET)
                    .redirectUris(List.of("https://agent.example.test/callback"))
                    .grantTypes(List.of("authorization_code", "refresh_token", ID_JAG_GRANT))
                    .scopes(List.of("openid", "profile", "email", "offline_access"))
                    .idJag(List.of(new IdJagConfig(asIssuer, null, List.of("todo.read", "todo.write"),
                            List.of(TODO_API), null, true)))
                    .build());
            return config.withClients(clients).withTokenExchange(new TokenExchangeConfig(
                    List.of(TokenExchangeConfig.ID_JAG, TokenExchangeConfig.ACCESS_TOKEN)));
        });
        resourceAs = TesseraTestServer.startOn(asPort, config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(AGENT).secret(AGENT_SECRET).grantTypes(List.of(JWT_BEARER))
                    .scopes(List.of("todo.read", "todo.write")).audience(List.of(TODO_API))
                    .accessTokenTtl(Duration.ofMinutes(10)).build());
            List<UserConfig> users = new ArrayList<>();
            for (UserConfig user : config.users()) {
                users.add(user.username().equals(TesseraTestServer.ALICE)
                        ? new UserConfig(ALICE_AT_RESOURCE_AS, user.username(), user.password(), user.passwordHash(),
                        user.roles(), user.claims(), user.verifiedClaims(),
                        List.of(new AccountLinkConfig(idpIssuer, UserConfig.defaultId(TesseraTestServer.ALICE))))
                        : user);
            }
            return config.withClients(clients).withUsers(users).withTrustedIssuers(List.of(new TrustedIssuerConfig(
                    idpIssuer, idpIssuer + "/.well-known/jwks.json", Duration.ofMinutes(5), List.of(AGENT))));
        });
    }

    @AfterAll
    static void stop() {
        if (resourceAs != null) {
            resourceAs.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    private static TokenClient.Response signInAtIdp() {
        TokenClient.Response tokens = Flows.codeFlow(idp, AGENT, AGENT_SECRET, "https://agent.example.test/callback",
                TesseraTestServer.ALICE, TesseraTestServer.ALICE_PASSWORD, "openid email offline_access");
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return tokens;
    }

    private static TokenClient.Response exchangeForIdJag(String subjectToken, String subjectType, String scope) {
        return idp.tokenClient().token(AGENT, AGENT_SECRET, Map.of(
                "grant_type", ID_JAG_GRANT,
                "requested_token_type", TokenExchangeConfig.ID_JAG,
                "subject_token", subjectToken,
                "subject_token_type", subjectType,
                "audience", resourceAs.issuer(),
                "resource", TODO_API,
                "scope", scope));
    }

    private static TokenClient.Response redeem(String idJag) {
        return resourceAs.tokenClient().token(AGENT, AGENT_SECRET, Map.of("grant_type", JWT_BEARER, "assertion", idJag));
    }

    @Test
    void anIdTokenFromTheIdpBecomesAnAccessTokenAtTheResourceServerOnce() throws Exception {
        TokenClient.Response tokens = signInAtIdp();
        TokenClient.Response exchanged = exchangeForIdJag(tokens.string("id_token"), TokenExchangeConfig.ID_TOKEN,
                "todo.read calendar.read");
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertThat(exchanged.json()).containsEntry("issued_token_type", TokenExchangeConfig.ID_JAG)
                .containsEntry("token_type", "N_A").containsEntry("scope", "todo.read").doesNotContainKey("refresh_token");

        SignedJWT idJag = SignedJWT.parse(exchanged.string("access_token"));
        assertThat(idJag.getHeader().getType().getType()).isEqualTo("oauth-id-jag+jwt");
        JWTClaimsSet assertion = idJag.getJWTClaimsSet();
        assertThat(assertion.getIssuer()).isEqualTo(idp.issuer());
        // aud is one JSON string, not an array (the raw payload, as other libraries see it)
        assertThat(idJag.getPayload().toJSONObject().get("aud")).isEqualTo(resourceAs.issuer());
        assertThat(assertion.getStringClaim("client_id")).isEqualTo(AGENT);
        assertThat(assertion.getStringClaim("resource")).isEqualTo(TODO_API);
        assertThat(assertion.getStringClaim("email")).isEqualTo("alice@example.com");

        assertThat(assertion.getSubject()).isEqualTo(SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject())
                .isEqualTo(UserConfig.defaultId(TesseraTestServer.ALICE));

        TokenClient.Response accessToken = redeem(exchanged.string("access_token"));
        assertThat(accessToken.status()).as(accessToken.body()).isEqualTo(200);
        assertThat(accessToken.json()).containsEntry("token_type", "Bearer").containsEntry("scope", "todo.read")
                .containsEntry("resource", TODO_API).containsEntry("expires_in", 600)
                .doesNotContainKeys("refresh_token", "issued_token_type");
        JWTClaimsSet claims = SignedJWT.parse(accessToken.string("access_token")).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(resourceAs.issuer());
        assertThat(claims.getAudience()).containsExactly(TODO_API);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(AGENT);
        assertThat(claims.getSubject()).isEqualTo(ALICE_AT_RESOURCE_AS);

        TokenClient.Response replay = redeem(exchanged.string("access_token"));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_grant");
        assertThat(replay.string("error_description")).contains("get a new ID-JAG");
    }

    @Test
    void aRefreshTokenIsExchangedWithoutBeingRotatedAndItsIdJagIsRedeemed() {
        TokenClient.Response tokens = signInAtIdp();
        String refreshToken = tokens.string("refresh_token");

        TokenClient.Response exchanged = exchangeForIdJag(refreshToken, TokenExchangeConfig.REFRESH_TOKEN, "todo.write");
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertThat(exchanged.json()).doesNotContainKey("scope"); // nothing was dropped
        assertThat(redeem(exchanged.string("access_token")).json()).containsEntry("scope", "todo.write");

        // The client keeps using the same refresh token: the exchange did not rotate it.
        TokenClient.Response refreshed = TokenFlows.refresh(idp, AGENT, AGENT_SECRET, refreshToken);
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
    }

    @Test
    void anIdJagWhosePayloadWasAlteredIsRefusedByTheResourceServer() {
        String idJag = exchangeForIdJag(signInAtIdp().string("id_token"), TokenExchangeConfig.ID_TOKEN, "todo.read")
                .string("access_token");
        String[] parts = idJag.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("todo.read", "todo.write");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];

        TokenClient.Response response = redeem(tampered);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_grant");
        assertThat(response.string("error_description")).contains("signature does not verify");
        // the genuine one still works: the forged attempt did not burn its jti
        assertThat(redeem(idJag).status()).isEqualTo(200);
    }

    @Test
    void discoveryAdvertisesEachSideOnlyWhereItIsEnabledAndNeverNamesTheTrustedIssuer() {
        Map<String, Object> idpMetadata = idp.tokenClient().get("/.well-known/openid-configuration", null).json();
        TokenClient.Response asDocument = resourceAs.tokenClient().get("/.well-known/openid-configuration", null);

        assertThat(strings(idpMetadata.get("grant_types_supported"))).contains(ID_JAG_GRANT).doesNotContain(JWT_BEARER);
        assertThat(idpMetadata).containsEntry("identity_chaining_requested_token_types_supported",
                List.of(TokenExchangeConfig.ID_JAG)).doesNotContainKey("authorization_grant_profiles_supported");
        Map<String, Object> asMetadata = asDocument.json();
        assertThat(strings(asMetadata.get("grant_types_supported"))).contains(JWT_BEARER).doesNotContain(ID_JAG_GRANT);
        assertThat(asMetadata).containsEntry("authorization_grant_profiles_supported",
                List.of("urn:ietf:params:oauth:grant-profile:id-jag"))
                .doesNotContainKey("identity_chaining_requested_token_types_supported");
        assertThat(asDocument.body()).doesNotContain(idp.issuer());
    }

    @Test
    void decisionsAreCountedInMetricsByGrantAndResult() {
        String idJag = exchangeForIdJag(signInAtIdp().string("id_token"), TokenExchangeConfig.ID_TOKEN, "todo.read")
                .string("access_token");
        redeem(idJag);
        redeem(idJag);
        exchangeForIdJag(signInAtIdp().string("id_token"), TokenExchangeConfig.ID_TOKEN, "calendar.read");

        String idpMetrics = idp.tokenClient().get("/metrics", null).body();
        String asMetrics = resourceAs.tokenClient().get("/metrics", null).body();
        assertThat(idpMetrics).containsPattern("tessera_cross_app_decisions_total\\{grant=\"token_exchange\",result=\"issued\"} [1-9]")
                .containsPattern("tessera_cross_app_decisions_total\\{grant=\"token_exchange\",result=\"invalid_scope\"} [1-9]")
                .containsPattern("tessera_id_jag_policy_rejections_total\\{reason=\"scope\"} [1-9]");
        assertThat(asMetrics).containsPattern("tessera_cross_app_decisions_total\\{grant=\"jwt_bearer\",result=\"issued\"} [1-9]")
                .containsPattern("tessera_cross_app_decisions_total\\{grant=\"jwt_bearer\",result=\"invalid_grant\"} [1-9]");
    }

    @Test
    void oneIdJagSentTwentyTimesInParallelYieldsExactlyOneAccessToken() throws Exception {
        String idJag = exchangeForIdJag(signInAtIdp().string("id_token"), TokenExchangeConfig.ID_TOKEN, "todo.read")
                .string("access_token");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return redeem(idJag).status();
                }));
            }
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> status : statuses) {
                results.add(status.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(status -> status == 200).hasSize(1);
            assertThat(results).filteredOn(status -> status == 400).hasSize(19);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostileBodiesAtBothGrantsGetAClientErrorNeverAServerError() {
        String idToken = signInAtIdp().string("id_token");
        String exchange = "grant_type=" + ID_JAG_GRANT + "&requested_token_type=" + TokenExchangeConfig.ID_JAG
                + "&subject_token_type=" + TokenExchangeConfig.ID_TOKEN + "&audience=" + resourceAs.issuer();
        List<String> exchangeBodies = List.of(
                exchange + "&subject_token=" + idToken + "&resource=\u20ac+",      // raw UTF-8 and '+' in a resource
                exchange + "&subject_token=\u20ac+%&scope=todo.read\u00ff",       // broken escapes, raw non-ASCII
                exchange + "&subject_token=" + idToken + "&subject_token=" + idToken, // a parameter twice
                exchange + "&subject_token=" + "A".repeat(20_000));
        for (String body : exchangeBodies) {
            TokenClient.Response response = idp.tokenClient().post("/token", TokenClient.basic(AGENT, AGENT_SECRET), body);
            assertThat(response.status()).as(body.substring(0, Math.min(body.length(), 200))).isBetween(400, 499);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        List<String> bearerBodies = List.of(
                "grant_type=" + JWT_BEARER + "&assertion=\u20ac+.\u20ac+.\u20ac+",
                "grant_type=" + JWT_BEARER + "&assertion=e30.e30.e30&assertion=e30.e30.e30",
                "grant_type=" + JWT_BEARER + "&assertion=eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",   // payload is not JSON
                "grant_type=" + JWT_BEARER + "&assertion=" + "A".repeat(20_000));
        for (String body : bearerBodies) {
            TokenClient.Response response = resourceAs.tokenClient().post("/token", TokenClient.basic(AGENT, AGENT_SECRET),
                    body);
            assertThat(response.status()).as(body.substring(0, Math.min(body.length(), 200))).isBetween(400, 499);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void eachDecisionIsOneAuditLineWithItsFactsAndNeverTheToken() throws Exception {
        ch.qos.logback.classic.Logger auditLogger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tessera.audit");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        ch.qos.logback.classic.Level before = auditLogger.getLevel();
        auditLogger.setLevel(ch.qos.logback.classic.Level.INFO);
        auditLogger.addAppender(captured);
        String idToken;
        String idJag;
        try {
            idToken = signInAtIdp().string("id_token");
            idJag = exchangeForIdJag(idToken, TokenExchangeConfig.ID_TOKEN, "todo.read calendar.read").string("access_token");
            redeem(idJag);
            redeem(idJag);
        } finally {
            auditLogger.detachAppender(captured);
            auditLogger.setLevel(before);
        }
        List<String> decisions = captured.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filter(line -> line.startsWith("cross_app_decision")).toList();
        String jti = SignedJWT.parse(idJag).getJWTClaimsSet().getJWTID();

        assertThat(decisions).hasSize(3);
        assertThat(decisions.get(0)).contains("grant=token_exchange", "client_id=" + AGENT,
                "audience=" + resourceAs.issuer(), "resource=[" + TODO_API + "]", "requested_scope=todo.read calendar.read",
                "granted_scope=todo.read", "jti=" + jti, "decision=issued");
        assertThat(decisions.get(1)).contains("grant=jwt_bearer", "issuer=" + idp.issuer(), "jti=" + jti,
                "decision=issued");
        assertThat(decisions.get(2)).contains("grant=jwt_bearer", "decision=refused", "reason=invalid_grant");
        assertThat(captured.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain(idToken).doesNotContain(idJag).doesNotContain(AGENT_SECRET));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<String>) value;
    }
}
