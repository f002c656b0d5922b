package dev.tessera.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.idToken;
import static dev.tessera.server.http.AuthorizeSteps.redeemWeb;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code flow across several requests (OIDC Core §3.1.2.1): SSO sessions and prompt=none, prompt=login
 * and max_age forcing a new sign-in, id_token_hint, and what the code itself is made of.
 */
class AuthorizationCodeFlowTest {
    static final String LEGACY = "legacy";
    static final String LEGACY_SECRET = "legacy-secret-0123456789-0123456789-abcd";
    static final String LEGACY_REDIRECT = "https://legacy.example.test/cb";

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            // A confidential client registered before PKCE was required (SPEC: "by default for all").
            clients.add(ClientConfig.builder(LEGACY).name("Legacy Portal").secret(LEGACY_SECRET)
                    .redirectUris(List.of(LEGACY_REDIRECT)).scopes(List.of("openid", "profile"))
                    .requirePkce(false).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // --- prompt=none and the SSO session -----------------------------------------------------------

    @Test
    void promptNoneWithoutASessionIsLoginRequiredAtTheRedirectUriWithStateAndIss() {
        HttpResponse<String> response = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("silent-1").with("prompt", "none").encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "login_required")
                .containsEntry("state", "silent-1").containsEntry("iss", server.issuer()).doesNotContainKey("code");
    }

    @Test
    void promptNoneWithASessionSucceedsSilentlyWithTheSameSubAndAuthTime() throws Exception {
        UserAgent browser = server.userAgent();
        JWTClaimsSet first = idToken(signIn(browser, AuthorizeQuery.web("interactive"), ALICE, ALICE_PASSWORD));
        server.clock().advance(Duration.ofSeconds(5));

        AuthorizeQuery silent = AuthorizeQuery.web("silent-2").with("prompt", "none");
        HttpResponse<String> response = browser.get("/authorize?" + silent.encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("state", "silent-2").containsEntry("iss", server.issuer());
        JWTClaimsSet second = idToken(redeemWeb(server, silent, codeFrom(WEB_REDIRECT, response)));
        assertThat(second.getSubject()).isEqualTo(first.getSubject());
        assertThat(second.getLongClaim("auth_time")).isEqualTo(first.getLongClaim("auth_time"));
        assertThat(second.getIssueTime()).isAfter(first.getIssueTime());
    }

    @Test
    void promptNoneWithAnIdTokenHintOfTheSignedInUserSucceedsSilently() throws Exception {
        UserAgent browser = server.userAgent();
        TokenClient.Response tokens = signIn(browser, AuthorizeQuery.web("hint-self"), ALICE, ALICE_PASSWORD);
        String sub = idToken(tokens).getSubject();

        AuthorizeQuery silent = AuthorizeQuery.web("hint-self-2").with("prompt", "none")
                .with("id_token_hint", tokens.string("id_token"));
        HttpResponse<String> response = browser.get("/authorize?" + silent.encoded());

        assertThat(idToken(redeemWeb(server, silent, codeFrom(WEB_REDIRECT, response))).getSubject()).isEqualTo(sub);
    }

    @Test
    void promptNoneWithAnIdTokenHintOfAnotherUserIsLoginRequired() {
        String bobsIdToken = signIn(server.userAgent(), AuthorizeQuery.web("bob"), BOB, BOB_PASSWORD).string("id_token");
        UserAgent alicesBrowser = server.userAgent();
        signIn(alicesBrowser, AuthorizeQuery.web("alice"), ALICE, ALICE_PASSWORD);

        HttpResponse<String> response = alicesBrowser.get("/authorize?" + AuthorizeQuery.web("other-hint")
                .with("prompt", "none").with("id_token_hint", bobsIdToken).encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "login_required")
                .containsEntry("state", "other-hint").containsEntry("iss", server.issuer()).doesNotContainKey("code");
    }

    @Test
    void promptNoneWithAForgedIdTokenHintIsLoginRequired() {
        UserAgent browser = server.userAgent();
        String idToken = signIn(browser, AuthorizeQuery.web("forge"), ALICE, ALICE_PASSWORD).string("id_token");
        String[] parts = idToken.split("\\.");
        // Same claims, alg none, no signature: the hint must not be believed.
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[1] + ".";

        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web("forged")
                .with("prompt", "none").with("id_token_hint", unsigned).encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "login_required");
    }

    @Test
    void promptNoneCombinedWithLoginIsInvalidRequest() {
        HttpResponse<String> response = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("none-login").with("prompt", "none login").encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "invalid_request")
                .containsEntry("iss", server.issuer());
    }

    // --- prompt=login and max_age ----------------------------------------------------------------

    @Test
    void promptLoginShowsTheLoginPageDespiteASession() {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("before-login"), ALICE, ALICE_PASSWORD);

        HttpResponse<String> page = browser.get("/authorize?" + AuthorizeQuery.web("again").with("prompt", "login").encoded());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"");
    }

    @Test
    void promptLoginSignInGivesALaterAuthTime() throws Exception {
        UserAgent browser = server.userAgent();
        long firstAuthTime = idToken(signIn(browser, AuthorizeQuery.web("first"), ALICE, ALICE_PASSWORD)).getLongClaim("auth_time");
        server.clock().advance(Duration.ofSeconds(3));

        AuthorizeQuery query = AuthorizeQuery.web("relogin").with("prompt", "login");
        TokenClient.Response tokens = signIn(browser, query, ALICE, ALICE_PASSWORD);

        assertThat(idToken(tokens).getLongClaim("auth_time")).isGreaterThanOrEqualTo(firstAuthTime + 3);
    }

    @Test
    void maxAgeThatHasElapsedForcesANewLoginAndALaterAuthTime() throws Exception {
        UserAgent browser = server.userAgent();
        long firstAuthTime = idToken(signIn(browser, AuthorizeQuery.web("max-age-1"), ALICE, ALICE_PASSWORD)).getLongClaim("auth_time");
        server.clock().advance(Duration.ofSeconds(2));

        AuthorizeQuery query = AuthorizeQuery.web("max-age-2").with("max_age", "1");
        HttpResponse<String> page = browser.get("/authorize?" + query.encoded());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"");
        HttpResponse<String> response = browser.submit(page, Map.of("username", ALICE, "password", ALICE_PASSWORD));

        JWTClaimsSet id = idToken(redeemWeb(server, query, codeFrom(WEB_REDIRECT, response)));
        assertThat(id.getLongClaim("auth_time")).isGreaterThanOrEqualTo(firstAuthTime + 2);
    }

    @Test
    void maxAgeThatHasNotElapsedKeepsTheSessionAndItsAuthTime() throws Exception {
        UserAgent browser = server.userAgent();
        long firstAuthTime = idToken(signIn(browser, AuthorizeQuery.web("long-1"), ALICE, ALICE_PASSWORD)).getLongClaim("auth_time");
        server.clock().advance(Duration.ofSeconds(2));

        AuthorizeQuery query = AuthorizeQuery.web("long-2").with("max_age", "10000");
        HttpResponse<String> response = browser.get("/authorize?" + query.encoded());

        JWTClaimsSet id = idToken(redeemWeb(server, query, codeFrom(WEB_REDIRECT, response)));
        assertThat(id.getLongClaim("auth_time")).isEqualTo(firstAuthTime);
    }

    @Test
    void maxAgeZeroAsksForTheLoginAgainEvenAtTheSameInstant() {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("zero-1"), ALICE, ALICE_PASSWORD);

        HttpResponse<String> page = browser.get("/authorize?" + AuthorizeQuery.web("zero-2").with("max_age", "0").encoded());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"");
    }

    @Test
    void maxAgeThatHasElapsedWithPromptNoneIsLoginRequired() {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("stale-1"), ALICE, ALICE_PASSWORD);
        server.clock().advance(Duration.ofSeconds(2));

        HttpResponse<String> response = browser.get("/authorize?"
                + AuthorizeQuery.web("stale-2").with("max_age", "1").with("prompt", "none").encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "login_required")
                .containsEntry("state", "stale-2");
    }

    @Test
    void aDirectPostToConsentAfterPromptLoginWithoutSigningInAgainGetsNoCode() {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("earlier"), ALICE, ALICE_PASSWORD);
        server.clock().advance(Duration.ofSeconds(30));
        HttpResponse<String> login = browser.get("/authorize?" + AuthorizeQuery.web("step-up").with("prompt", "login").encoded());

        HttpResponse<String> skipped = skipTheLoginAndAllow(browser, login);

        assertNoCode(skipped);
        assertThat(skipped.body()).contains("name=\"password\"");
    }

    @Test
    void aDirectPostToConsentAfterAnElapsedMaxAgeWithoutSigningInAgainGetsNoCode() {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("earlier-max-age"), ALICE, ALICE_PASSWORD);
        server.clock().advance(Duration.ofSeconds(30));
        HttpResponse<String> login = browser.get("/authorize?" + AuthorizeQuery.web("fresh").with("max_age", "10").encoded());

        assertNoCode(skipTheLoginAndAllow(browser, login));
        HttpResponse<String> zero = browser.get("/authorize?" + AuthorizeQuery.web("zero").with("max_age", "0").encoded());
        assertNoCode(skipTheLoginAndAllow(browser, zero));
    }

    @Test
    void aSignInForOneRequestDoesNotSatisfyPromptLoginOfAnother() {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("first-request").with("prompt", "login"), ALICE, ALICE_PASSWORD);
        HttpResponse<String> login = browser.get("/authorize?" + AuthorizeQuery.web("second-request")
                .with("prompt", "login").encoded());

        assertNoCode(skipTheLoginAndAllow(browser, login));
    }

    @Test
    void promptLoginWithConsentGivesACodeAfterTheSignInAndTheConsent() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("before"), ALICE, ALICE_PASSWORD);
        server.clock().advance(Duration.ofSeconds(30));
        AuthorizeQuery query = AuthorizeQuery.web("both").with("prompt", "login consent");
        HttpResponse<String> login = browser.get("/authorize?" + query.encoded());
        HttpResponse<String> consent = browser.submit(login, Map.of("username", ALICE, "password", ALICE_PASSWORD));
        assertThat(consent.body()).contains("name=\"decision\"");

        HttpResponse<String> response = browser.submit(consent, Map.of("decision", "allow"));

        JWTClaimsSet id = idToken(redeemWeb(server, query, codeFrom(WEB_REDIRECT, response)));
        assertThat(id.getLongClaim("auth_time")).isEqualTo(server.clock().instant().getEpochSecond());
    }

    /** Posts the login page's CSRF token and request straight to /consent, as if the sign-in had happened. */
    private static HttpResponse<String> skipTheLoginAndAllow(UserAgent browser, HttpResponse<String> loginPage) {
        assertThat(loginPage.body()).contains("name=\"password\"");
        Map<String, String> form = new java.util.LinkedHashMap<>(dev.tessera.server.testsupport.HtmlForms
                .hiddenInputs(loginPage.body()));
        form.put("decision", "allow");
        return browser.postForm("/consent", form);
    }

    private static void assertNoCode(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElse("");
        assertThat(UserAgent.queryOf(location.isEmpty() ? "x:/" : location)).doesNotContainKey("code");
        assertThat(response.body()).doesNotContain("name=\"code\"");
    }

    @Test
    void negativeMaxAgeIsInvalidRequest() {
        HttpResponse<String> response = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("negative").with("max_age", "-1").encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "invalid_request")
                .containsEntry("iss", server.issuer());
    }

    // --- the code ---------------------------------------------------------------------------------

    @Test
    void codeFlowWithoutNonceSucceedsAndTheIdTokenHasNoNonce() throws Exception {
        AuthorizeQuery query = AuthorizeQuery.web("no-nonce").without("nonce");

        JWTClaimsSet id = idToken(signIn(server.userAgent(), query, ALICE, ALICE_PASSWORD));

        assertThat(id.getClaim("nonce")).isNull();
    }

    @Test
    void codesAreLongRandomBase64urlStrings() {
        UserAgent browser = server.userAgent();
        signIn(browser, AuthorizeQuery.web("codes"), ALICE, ALICE_PASSWORD);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String code = codeFrom(WEB_REDIRECT, browser.get("/authorize?" + AuthorizeQuery.web("c" + i).encoded()));
            // 43 base64url characters carry 256 bits (SPEC §5); the conformance floor is 128 bits.
            assertThat(code).matches("[A-Za-z0-9_-]{43,}");
            codes.add(code);
        }
        assertThat(codes).hasSize(5);
    }

    @Test
    void confidentialClientThatDoesNotRequirePkceMayOmitIt() {
        AuthorizeQuery query = AuthorizeQuery.client(LEGACY, LEGACY_REDIRECT, "legacy")
                .without("code_challenge").without("code_challenge_method");

        HttpResponse<String> response = server.userAgent().signInAndAllow(query.encoded(), ALICE, ALICE_PASSWORD);

        String code = codeFrom(LEGACY_REDIRECT, response);
        TokenClient.Response tokens = server.tokenClient().token(LEGACY, LEGACY_SECRET, Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", LEGACY_REDIRECT));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    }

    @Test
    void confidentialClientThatDoesNotRequirePkceStillMayNotUsePlain() {
        AuthorizeQuery query = AuthorizeQuery.client(LEGACY, LEGACY_REDIRECT, "legacy-plain");
        query.with("code_challenge", query.pkce().verifier()).with("code_challenge_method", "plain");

        HttpResponse<String> response = server.userAgent().get("/authorize?" + query.encoded());

        assertThat(redirectTo(LEGACY_REDIRECT, response)).containsEntry("error", "invalid_request");
    }

    /** Signs in (and consents if asked) from {@code browser}, then redeems the code. */
    private static TokenClient.Response signIn(UserAgent browser, AuthorizeQuery query, String user, String password) {
        HttpResponse<String> response = browser.signInAndAllow(query.encoded(), user, password);
        TokenClient.Response tokens = redeemWeb(server, query, codeFrom(WEB_REDIRECT, response));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return tokens;
    }
}
