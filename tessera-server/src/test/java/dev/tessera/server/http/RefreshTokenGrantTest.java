package dev.tessera.server.http;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.config.TokensConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.testsupport.JwtParts;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.OTHER;
import static dev.tessera.server.testsupport.TesseraTestServer.OTHER_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6749 §6 with rotation and reuse detection (OAuth 2.0 Security BCP §4.14.2). */
class RefreshTokenGrantTest {
    static final Duration REFRESH_TTL = Duration.ofMinutes(10);
    static final String DORA = "dora";
    static final String DORA_PASSWORD = "dora's own long password 7";

    // The test keys activate at the epoch; before it the key ring has nothing to sign with.
    static final Instant BEFORE_EVERY_SIGNING_KEY = Instant.EPOCH.minusSeconds(60);

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            TokensConfig d = config.tokens();
            List<UserConfig> users = new ArrayList<>(config.users());
            users.add(UserConfig.builder(DORA).password(DORA_PASSWORD).build());
            // A short refresh lifetime, so expiry can be reached without moving the clock by days.
            return config.withUsers(users).withTokens(new TokensConfig(d.accessTokenTtl(), d.idTokenTtl(), REFRESH_TTL,
                    Duration.ofHours(1), d.authorizationCodeTtl(), d.idJagTtl(), d.refreshTokenReuseGrace(),
                    d.accessTokenFormat()));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenClient.Response signIn(String scope) {
        return TokenFlows.signIn(server).scope(scope).tokens();
    }

    private static TokenClient.Response refresh(String refreshToken) {
        return TokenFlows.refresh(server, WEB, WEB_SECRET, refreshToken);
    }

    private static TokenClient.Response refresh(String refreshToken, String scope) {
        return server.tokenClient().token(WEB, WEB_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "scope", scope));
    }

    @Test
    void aRefreshReturnsNewTokensAndANewRefreshToken() {
        TokenClient.Response first = signIn("openid profile offline_access");

        TokenClient.Response second = refresh(first.string("refresh_token"));

        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.string("refresh_token")).isNotBlank().isNotEqualTo(first.string("refresh_token"));
        assertThat(second.string("access_token")).isNotEqualTo(first.string("access_token"));
        assertThat(second.string("token_type")).isEqualTo("Bearer");
        assertThat(second.header("Cache-Control")).isEqualTo("no-store");
        assertThat(TokenFlows.userInfo(server, second.string("access_token")).status()).isEqualTo(200);
    }

    @Test
    void theRotatedOutRefreshTokenStopsWorking() {
        TokenClient.Response first = signIn("openid offline_access");
        refresh(first.string("refresh_token"));

        TokenClient.Response again = refresh(first.string("refresh_token"));

        assertOAuthError(again, 400, "invalid_grant");
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheNewestRefreshTokenOfTheFamily() {
        TokenClient.Response first = signIn("openid offline_access");
        TokenClient.Response second = refresh(first.string("refresh_token"));

        refresh(first.string("refresh_token")); // reuse: a stolen copy, or the victim after the thief

        assertOAuthError(refresh(second.string("refresh_token")), 400, "invalid_grant");
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheFamilysAccessTokens() {
        TokenClient.Response first = signIn("openid offline_access");
        TokenClient.Response second = refresh(first.string("refresh_token"));
        assertThat(TokenFlows.userInfo(server, second.string("access_token")).status()).isEqualTo(200);

        refresh(first.string("refresh_token"));

        assertOAuthError(TokenFlows.userInfo(server, first.string("access_token")), 401, "invalid_token");
        assertOAuthError(TokenFlows.userInfo(server, second.string("access_token")), 401, "invalid_token");
    }

    @Test
    void fiftyParallelUsesOfOneRefreshTokenRotateItOnceAndRevokeTheFamily() throws Exception {
        TokenClient.Response first = signIn("openid offline_access");
        String presented = first.string("refresh_token");
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<TokenClient.Response> answers;
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TokenClient.Response>> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return refresh(presented);
                }));
            }
            go.countDown();
            answers = new ArrayList<>();
            for (Future<TokenClient.Response> answer : sent) {
                answers.add(answer.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }

        List<TokenClient.Response> rotated = answers.stream().filter(a -> a.status() == 200).toList();
        assertThat(rotated).as("answers with new tokens").hasSize(1);
        answers.stream().filter(a -> a.status() != 200).forEach(a -> assertOAuthError(a, 400, "invalid_grant"));
        // The other 49 were reuse: the successor the one winner got is revoked with its access token.
        TokenClient.Response winner = rotated.get(0);
        assertOAuthError(refresh(winner.string("refresh_token")), 400, "invalid_grant");
        assertOAuthError(TokenFlows.userInfo(server, winner.string("access_token")), 401, "invalid_token");
    }

    @Test
    void theIdTokenOfARefreshCarriesTheSameUserClaimsAsTheFirst() {
        TokenClient.Response first = signIn("openid profile email offline_access");

        TokenClient.Response second = refresh(first.string("refresh_token"));

        Map<String, Object> before = JwtParts.payload(first.string("id_token"));
        Map<String, Object> after = JwtParts.payload(second.string("id_token"));
        assertThat(after).containsEntry("email", "alice@example.com").containsEntry("name", "Alice Example");
        for (String claim : List.of("sub", "aud", "azp", "auth_time", "acr", "amr", "sid", "email", "email_verified",
                "name", "given_name")) {
            assertThat(after.get(claim)).as(claim).isEqualTo(before.get(claim));
        }
        assertThat(after).containsKey("at_hash");
    }

    @Test
    void anotherClientCannotUseTheRefreshToken() {
        TokenClient.Response first = signIn("openid offline_access");

        TokenClient.Response stolen = TokenFlows.refresh(server, OTHER, OTHER_SECRET, first.string("refresh_token"));

        assertOAuthError(stolen, 400, "invalid_grant");
    }

    @Test
    void aRefreshTokenTriedByAnotherClientStillWorksForItsOwnClient() {
        TokenClient.Response first = signIn("openid offline_access");
        TokenFlows.refresh(server, OTHER, OTHER_SECRET, first.string("refresh_token"));

        TokenClient.Response own = refresh(first.string("refresh_token"));

        assertThat(own.status()).as(own.body()).isEqualTo(200);
    }

    @Test
    void askingForAScopeThatWasNotGrantedIsInvalidScope() {
        TokenClient.Response first = signIn("openid offline_access");

        TokenClient.Response widened = refresh(first.string("refresh_token"), "openid offline_access email");

        assertOAuthError(widened, 400, "invalid_scope");
    }

    @Test
    void aRefreshMayNarrowTheScopeAndTheResponseSaysSo() {
        TokenClient.Response first = signIn("openid profile email offline_access");

        TokenClient.Response narrowed = refresh(first.string("refresh_token"), "openid email");

        assertThat(narrowed.status()).as(narrowed.body()).isEqualTo(200);
        assertThat(TokenFlows.scopeSet(narrowed.string("scope"))).containsExactlyInAnyOrder("openid", "email");
        assertThat(TokenFlows.scopeSet((String) TokenFlows.claims(narrowed.string("access_token")).getClaim("scope")))
                .containsExactlyInAnyOrder("openid", "email");
        TokenClient.Response userinfo = TokenFlows.userInfo(server, narrowed.string("access_token"));
        assertThat(userinfo.json()).containsKey("email").doesNotContainKey("name");
    }

    @Test
    void anExpiredRefreshTokenIsInvalidGrant() {
        TokenClient.Response first = signIn("openid offline_access");
        server.clock().advance(REFRESH_TTL.plusSeconds(1));

        TokenClient.Response late = refresh(first.string("refresh_token"));

        assertOAuthError(late, 400, "invalid_grant");
        assertThat(late.string("error_description")).contains("expired");
    }

    @Test
    void aRefreshTokenOfADisabledUserIsInvalidGrant() {
        TokenClient.Response first = TokenFlows.signIn(server).as(DORA, DORA_PASSWORD)
                .scope("openid offline_access").tokens();
        UserStore users = server.app().stores().users();
        User dora = users.findByUsername(DORA).orElseThrow();
        users.upsert(dora.withEnabled(false));

        TokenClient.Response refreshed = refresh(first.string("refresh_token"));

        assertOAuthError(refreshed, 400, "invalid_grant");
    }

    @Test
    void anUnknownRefreshTokenIsInvalidGrant() {
        assertOAuthError(refresh("tsr_rt_made-up-token"), 400, "invalid_grant");
    }

    @Test
    void aMissingRefreshTokenIsInvalidRequest() {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "refresh_token"));

        assertOAuthError(response, 400, "invalid_request");
    }

    @Test
    void refreshRotationIsNotCommittedWhenTheResponseFails() {
        TokenClient.Response first = signIn("openid offline_access");
        Instant now = server.clock().instant();
        TokenClient.Response failed;
        try {
            server.clock().set(BEFORE_EVERY_SIGNING_KEY); // no active key: signing fails after the rotation
            failed = refresh(first.string("refresh_token"));
        } finally {
            server.clock().set(now);
        }
        assertThat(failed.status()).as(failed.body()).isEqualTo(500);

        TokenClient.Response retry = refresh(first.string("refresh_token"));

        assertThat(retry.status()).as("the client still holds a working token: " + retry.body()).isEqualTo(200);
        assertThat(refresh(retry.string("refresh_token")).status()).isEqualTo(200);
    }
}
