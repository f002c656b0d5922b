package dev.tessera.server.http;

import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** OpenID Connect RP-Initiated Logout 1.0 (the logout rows of CONFORMANCE.md). */
class LogoutTest {
    static final String AFTER_LOGOUT = "https://app.example.test/signed-out";
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> config.withClients(config.clients().stream()
                .map(c -> c.id().equals(WEB) ? c.toBuilder().postLogoutRedirectUris(List.of(AFTER_LOGOUT)).build() : c)
                .toList()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Signs alice in with this agent and returns her ID token. */
    private String signIn(UserAgent browser) {
        Pkce pkce = Pkce.generate();
        HttpResponse<String> redirect = browser.signInAndAllow("response_type=code&client_id=" + WEB
                + "&scope=openid&state=s&redirect_uri=" + enc(WEB_REDIRECT) + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256", ALICE, ALICE_PASSWORD);
        String code = UserAgent.queryOf(redirect.headers().firstValue("Location").orElseThrow()).get("code");
        return server.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", WEB_REDIRECT, "code_verifier", pkce.verifier())).string("id_token");
    }

    private Map<String, String> silentAuthorize(UserAgent browser) {
        HttpResponse<String> response = browser.get("/authorize?response_type=code&client_id=" + WEB + "&scope=openid"
                + "&prompt=none&state=p&redirect_uri=" + enc(WEB_REDIRECT) + "&code_challenge="
                + Pkce.generate().challenge() + "&code_challenge_method=S256");
        return UserAgent.queryOf(response.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void logoutRedirectsToTheRegisteredUriWithStateAndEndsTheSession() {
        UserAgent browser = server.userAgent();
        String idToken = signIn(browser);
        assertThat(silentAuthorize(browser)).containsKey("code");

        HttpResponse<String> logout = browser.get("/logout?id_token_hint=" + idToken + "&post_logout_redirect_uri="
                + enc(AFTER_LOGOUT) + "&state=" + enc("bye now&x"));

        assertThat(logout.statusCode()).isEqualTo(302);
        String location = logout.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(AFTER_LOGOUT + "?");
        assertThat(UserAgent.queryOf(location)).containsEntry("state", "bye now&x");
        assertThat(silentAuthorize(browser)).containsEntry("error", "login_required");
    }

    @Test
    void anUnregisteredPostLogoutUriIsNeverFollowed() {
        UserAgent browser = server.userAgent();
        String idToken = signIn(browser);
        HttpResponse<String> logout = browser.get("/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + enc("https://evil.example.test/"));
        assertThat(logout.statusCode()).isEqualTo(400);
        assertThat(logout.headers().firstValue("Location")).isEmpty();
        assertThat(logout.body()).doesNotContain("evil.example.test");
    }

    @Test
    void aHintRewrittenToAlgNoneIsRefusedAndTheSessionSurvives() {
        UserAgent browser = server.userAgent();
        String idToken = signIn(browser);
        String[] parts = idToken.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
                + "." + parts[1] + ".";
        HttpResponse<String> logout = browser.get("/logout?id_token_hint=" + none
                + "&post_logout_redirect_uri=" + enc(AFTER_LOGOUT));
        assertThat(logout.statusCode()).isEqualTo(400);
        assertThat(logout.headers().firstValue("Location")).isEmpty();
        assertThat(silentAuthorize(browser)).containsKey("code");
    }

    @Test
    void logoutWithoutAHintAsksTheUserToConfirmAndEndsNothingUntilThen() {
        UserAgent browser = server.userAgent();
        signIn(browser);

        HttpResponse<String> confirm = browser.get("/logout");

        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.headers().firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'");
        assertThat(confirm.body()).contains("<form", "method=\"post\"", "action=\"/logout\"", "name=\"csrf\"",
                "<button");
        assertThat(silentAuthorize(browser)).containsKey("code");

        HttpResponse<String> signedOut = browser.submit(confirm, Map.of());

        assertThat(signedOut.statusCode()).isEqualTo(200);
        assertThat(signedOut.body()).contains("signed out");
        assertThat(silentAuthorize(browser)).containsEntry("error", "login_required");
    }

    @Test
    void aConfirmationWithoutTheCsrfTokenEndsNothing() {
        UserAgent browser = server.userAgent();
        signIn(browser);
        Map<String, String> form = new java.util.LinkedHashMap<>(HtmlForms.hiddenInputs(browser.get("/logout").body()));
        form.remove("csrf");

        HttpResponse<String> refused = browser.postForm("/logout", form);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(silentAuthorize(browser)).containsKey("code");
    }

    @Test
    void aConfirmationPostedFromAnotherSiteWithoutTheCsrfCookieEndsNothing() {
        UserAgent browser = server.userAgent();
        signIn(browser);
        UserAgent attacker = server.userAgent();
        signIn(attacker);
        Map<String, String> form = HtmlForms.hiddenInputs(attacker.get("/logout").body());
        assertThat(form).containsKeys("csrf", "confirm");

        assertThat(browser.postForm("/logout", form).statusCode()).isEqualTo(400);
        assertThat(silentAuthorize(browser)).containsKey("code");
    }

    @Test
    void confirmingReturnsToTheRegisteredUriWithState() {
        UserAgent browser = server.userAgent();
        signIn(browser);
        HttpResponse<String> confirm = browser.get("/logout?client_id=" + WEB + "&post_logout_redirect_uri="
                + enc(AFTER_LOGOUT) + "&state=s-42");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Example Web App");

        HttpResponse<String> back = browser.submit(confirm, Map.of());

        assertThat(back.statusCode()).isIn(302, 303);
        assertThat(back.headers().firstValue("Location").orElseThrow()).isEqualTo(AFTER_LOGOUT + "?state=s-42");
        assertThat(silentAuthorize(browser)).containsEntry("error", "login_required");
    }

    @Test
    void aHintForAnotherBrowsersSessionAsksToConfirmAndNeverEndsThatSession() {
        UserAgent victim = server.userAgent();
        String victimsIdToken = signIn(victim);
        UserAgent other = server.userAgent();
        signIn(other);

        HttpResponse<String> logout = other.get("/logout?id_token_hint=" + victimsIdToken + "&post_logout_redirect_uri="
                + enc(AFTER_LOGOUT));

        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(logout.body()).contains("name=\"csrf\"");
        assertThat(silentAuthorize(victim)).containsKey("code");
        assertThat(silentAuthorize(other)).containsKey("code");
        other.submit(logout, Map.of());
        assertThat(silentAuthorize(other)).containsEntry("error", "login_required");
        assertThat(silentAuthorize(victim)).containsKey("code");
    }

    @Test
    void anExpiredHintStillIdentifiesTheClientButEndsNoOtherBrowsersSession() {
        UserAgent victim = server.userAgent();
        String idToken = signIn(victim);
        server.clock().advance(java.time.Duration.ofMinutes(20)); // past the 15-minute ID token lifetime

        HttpResponse<String> logout = server.userAgent().get("/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + enc(AFTER_LOGOUT) + "&state=x");

        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValue(AFTER_LOGOUT + "?state=x");
        assertThat(silentAuthorize(victim)).containsKey("code");
    }

    @Test
    void anExpiredHintForThisBrowsersSessionSignsOutWithoutAsking() {
        UserAgent browser = server.userAgent();
        String idToken = signIn(browser);
        server.clock().advance(java.time.Duration.ofMinutes(20));

        HttpResponse<String> logout = browser.get("/logout?id_token_hint=" + idToken + "&post_logout_redirect_uri="
                + enc(AFTER_LOGOUT));

        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(silentAuthorize(browser)).containsEntry("error", "login_required");
    }

    @Test
    void withoutASessionThereIsNothingToConfirm() {
        HttpResponse<String> logout = server.userAgent().get("/logout");

        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(logout.body()).contains("signed out").doesNotContain("<form");
    }

    @Test
    void discoveryNamesTheEndSessionEndpoint() {
        TokenClient.Response discovery = server.tokenClient().get("/.well-known/openid-configuration", null);
        assertThat(discovery.string("end_session_endpoint")).isEqualTo(server.issuer() + "/logout");
    }
}
