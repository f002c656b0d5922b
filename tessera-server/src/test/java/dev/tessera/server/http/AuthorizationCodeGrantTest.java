package dev.tessera.server.http;

import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.OTHER;
import static dev.tessera.server.testsupport.TesseraTestServer.OTHER_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6749 §4.1.3 and RFC 7636 at /token: what binds a code, and what a replay does to its tokens. */
class AuthorizationCodeGrantTest {
    static final String NO_PKCE = "no-pkce";
    static final String NO_PKCE_SECRET = "no-pkce-secret-0123456789-0123456789-ab";
    static final String NO_PKCE_REDIRECT = "https://legacy.example.test/callback";

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(NO_PKCE).secret(NO_PKCE_SECRET).requirePkce(false)
                    .redirectUris(List.of(NO_PKCE_REDIRECT)).scopes(List.of("openid")).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenFlows.Authorized offlineCode() {
        return TokenFlows.signIn(server).scope("openid offline_access").authorize();
    }

    private static TokenClient.Response redeem(TokenFlows.Authorized code, Map<String, String> changes) {
        Map<String, String> form = code.form();
        changes.forEach((name, value) -> {
            if (value == null) {
                form.remove(name);
            } else {
                form.put(name, value);
            }
        });
        return server.tokenClient().token(code.clientId(), WEB_SECRET, form);
    }

    @Test
    void aRedirectUriOtherThanTheAuthorizationRequestsIsInvalidGrant() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();

        TokenClient.Response response = redeem(code, Map.of("redirect_uri", "https://app.example.test/other"));

        assertOAuthError(response, 400, "invalid_grant");
    }

    @Test
    void aMissingRedirectUriIsInvalidGrantWhenTheAuthorizationRequestSentOne() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();

        TokenClient.Response response = redeem(code, nullValued("redirect_uri"));

        assertOAuthError(response, 400, "invalid_grant");
        assertThat(response.string("error_description")).contains("redirect_uri");
    }

    @Test
    void redirectUriMayBeLeftOutAtTheTokenEndpointWhenTheAuthorizationRequestLeftItOut() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).withoutRedirectUri().authorize();

        TokenClient.Response response = redeem(code, nullValued("redirect_uri"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aMissingCodeVerifierIsInvalidGrantWhenTheCodeHasAChallenge() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();

        TokenClient.Response response = redeem(code, nullValued("code_verifier"));

        assertOAuthError(response, 400, "invalid_grant");
        assertThat(response.string("error_description")).contains("code_verifier");
    }

    @Test
    void aWrongCodeVerifierIsInvalidGrant() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();

        TokenClient.Response response = redeem(code, Map.of("code_verifier", Pkce.generate().verifier()));

        assertOAuthError(response, 400, "invalid_grant");
    }

    @Test
    void aClientWithoutMandatoryPkceRedeemsACodeWithoutVerifier() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).client(NO_PKCE, NO_PKCE_REDIRECT).withoutPkce().authorize();

        TokenClient.Response response = code.redeem(NO_PKCE_SECRET);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aCodeVerifierForACodeWithoutChallengeIsInvalidGrant() {
        // RFC 7636 downgrade: a verifier where no challenge was bound must not be silently ignored.
        TokenFlows.Authorized code = TokenFlows.signIn(server).client(NO_PKCE, NO_PKCE_REDIRECT).withoutPkce().authorize();
        Map<String, String> form = code.form();
        form.put("code_verifier", Pkce.generate().verifier());

        TokenClient.Response response = server.tokenClient().token(NO_PKCE, NO_PKCE_SECRET, form);

        assertOAuthError(response, 400, "invalid_grant");
    }

    @Test
    void aSecondUseOfACodeIsInvalidGrant() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();
        assertThat(code.redeem(WEB_SECRET).status()).isEqualTo(200);

        TokenClient.Response replay = code.redeem(WEB_SECRET);

        assertOAuthError(replay, 400, "invalid_grant");
    }

    @Test
    void aReplayedCodeRevokesTheAccessTokenFromItsFirstUse() {
        TokenFlows.Authorized code = offlineCode();
        TokenClient.Response first = code.redeem(WEB_SECRET);
        assertThat(TokenFlows.userInfo(server, first.string("access_token")).status()).isEqualTo(200);

        code.redeem(WEB_SECRET);

        TokenClient.Response userinfo = TokenFlows.userInfo(server, first.string("access_token"));
        assertOAuthError(userinfo, 401, "invalid_token");
    }

    @Test
    void aReplayedCodeRevokesTheRefreshTokenFromItsFirstUse() {
        TokenFlows.Authorized code = offlineCode();
        TokenClient.Response first = code.redeem(WEB_SECRET);

        code.redeem(WEB_SECRET);

        TokenClient.Response refresh = TokenFlows.refresh(server, WEB, WEB_SECRET, first.string("refresh_token"));
        assertOAuthError(refresh, 400, "invalid_grant");
    }

    @Test
    void aCodeReplayedThirtySecondsLaterStillRevokesEverythingFromItsFirstUse() {
        // The conformance suite's "reuse after 30 seconds": the code is within its lifetime, but used.
        TokenFlows.Authorized code = offlineCode();
        TokenClient.Response first = code.redeem(WEB_SECRET);
        server.clock().advance(Duration.ofSeconds(30));

        TokenClient.Response replay = code.redeem(WEB_SECRET);

        assertOAuthError(replay, 400, "invalid_grant");
        assertOAuthError(TokenFlows.userInfo(server, first.string("access_token")), 401, "invalid_token");
        assertOAuthError(TokenFlows.refresh(server, WEB, WEB_SECRET, first.string("refresh_token")), 400, "invalid_grant");
    }

    @Test
    void tokensRevokedByAReplayStayRevokedThirtySecondsLater() {
        TokenFlows.Authorized code = offlineCode();
        TokenClient.Response first = code.redeem(WEB_SECRET);
        code.redeem(WEB_SECRET);

        server.clock().advance(Duration.ofSeconds(30));

        assertOAuthError(TokenFlows.userInfo(server, first.string("access_token")), 401, "invalid_token");
        assertOAuthError(TokenFlows.refresh(server, WEB, WEB_SECRET, first.string("refresh_token")), 400, "invalid_grant");
    }

    @Test
    void aCodeIssuedToOneClientCannotBeRedeemedByAnother() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();

        TokenClient.Response response = server.tokenClient().token(OTHER, OTHER_SECRET, code.form());

        assertOAuthError(response, 400, "invalid_grant");
    }

    @Test
    void aCodeTriedByAnotherClientIsConsumedSoItsOwnClientCannotRedeemItAfterwards() {
        // The code is consumed atomically before the client check (AuthorizationCodeGrant), so the
        // attempt by another client burns it: the rightful client must start a new authorization.
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();
        server.tokenClient().token(OTHER, OTHER_SECRET, code.form());

        TokenClient.Response response = code.redeem(WEB_SECRET);

        assertOAuthError(response, 400, "invalid_grant");
    }

    @Test
    void aCodeOlderThanSixtySecondsIsInvalidGrant() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();
        server.clock().advance(Duration.ofSeconds(61));

        TokenClient.Response response = code.redeem(WEB_SECRET);

        assertOAuthError(response, 400, "invalid_grant");
        assertThat(response.string("error_description")).contains("expired");
    }

    @Test
    void aCodeJustInsideItsLifetimeIsStillRedeemed() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).authorize();
        server.clock().advance(Duration.ofSeconds(59));

        TokenClient.Response response = code.redeem(WEB_SECRET);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void anUnknownCodeIsInvalidGrant() {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET, Map.of(
                "grant_type", "authorization_code", "code", "tsr_ac_made-up", "redirect_uri", TesseraTestServer.WEB_REDIRECT,
                "code_verifier", Pkce.generate().verifier()));

        assertOAuthError(response, 400, "invalid_grant");
    }

    @Test
    void aMissingCodeIsInvalidRequest() {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET,
                Map.of("grant_type", "authorization_code", "redirect_uri", TesseraTestServer.WEB_REDIRECT));

        assertOAuthError(response, 400, "invalid_request");
    }

    @Test
    void codeRedemptionIsNotCommittedWhenTheResponseFails() {
        TokenFlows.Authorized code = offlineCode();
        Instant now = server.clock().instant();
        TokenClient.Response failed;
        try {
            server.clock().set(Instant.EPOCH.minusSeconds(60)); // before the test keys activate: signing fails
            failed = code.redeem(WEB_SECRET);
        } finally {
            server.clock().set(now);
        }
        assertThat(failed.status()).as(failed.body()).isEqualTo(500);

        TokenClient.Response retry = code.redeem(WEB_SECRET);

        assertThat(retry.status()).as("the code was not spent by the failed response: " + retry.body()).isEqualTo(200);
        assertThat(TokenFlows.refresh(server, WEB, WEB_SECRET, retry.string("refresh_token")).status()).isEqualTo(200);
    }

    @Test
    void aUsedCodeReplayedByAnotherClientDoesNotRevokeItsOwnersTokens() {
        TokenFlows.Authorized code = offlineCode();
        TokenClient.Response first = code.redeem(WEB_SECRET);

        TokenClient.Response replay = server.tokenClient().token(OTHER, OTHER_SECRET, code.form());

        assertOAuthError(replay, 400, "invalid_grant");
        assertThat(TokenFlows.userInfo(server, first.string("access_token")).status()).isEqualTo(200);
        assertThat(TokenFlows.refresh(server, WEB, WEB_SECRET, first.string("refresh_token")).status()).isEqualTo(200);
    }

    @Test
    void aUsedCodeReplayedWithAPublicClientIdDoesNotRevokeItsOwnersTokens() {
        // Issue 8: anyone who found a used code could end the victim's sign-in with no secret at all.
        TokenFlows.Authorized code = offlineCode();
        TokenClient.Response first = code.redeem(WEB_SECRET);
        Map<String, String> form = new java.util.LinkedHashMap<>(code.form());
        form.put("client_id", TesseraTestServer.SPA);

        TokenClient.Response replay = server.tokenClient().post("/token", null, UserAgent.encode(form));

        assertOAuthError(replay, 400, "invalid_grant");
        assertThat(TokenFlows.userInfo(server, first.string("access_token")).status()).isEqualTo(200);
    }

    private static Map<String, String> nullValued(String name) {
        Map<String, String> changes = new java.util.HashMap<>();
        changes.put(name, null);
        return changes;
    }
}
