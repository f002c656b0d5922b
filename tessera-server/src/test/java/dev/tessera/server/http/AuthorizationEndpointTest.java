package dev.tessera.server.http;

import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.SPA_REDIRECT;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET|POST /authorize (RFC 6749 §4.1, RFC 7636, RFC 9207, OIDC Core §3.1.2): which requests are answered
 * at the redirect URI, which only on an error page, and what every answer carries.
 */
class AuthorizationEndpointTest {
    /** Spaces, unicode, and the characters that break naive query building. */
    static final String AWKWARD_STATE = "a b&c=d%25e+f/?#ü✓\"<x>'";

    static TesseraTestServer server;
    private static UserAgent signedIn;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // --- GET, POST and tolerated parameters -------------------------------------------------------

    @Test
    void getWithAValidRequestShowsTheLoginPage() {
        HttpResponse<String> page = server.userAgent().get("/authorize?" + AuthorizeQuery.web("get").encoded());

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"");
    }

    @Test
    void postWithAFormBodyShowsTheLoginPage() {
        HttpResponse<String> page = server.userAgent().postForm("/authorize", formOf(AuthorizeQuery.web("post")));

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"");
    }

    @Test
    void postWithASessionRedirectsWithACodeThatRedeems() {
        UserAgent browser = signedInBrowser();
        AuthorizeQuery query = AuthorizeQuery.web("post-session");

        HttpResponse<String> response = browser.postForm("/authorize", formOf(query));

        assertThat(response.statusCode()).as("303 so the browser follows with GET").isEqualTo(303);
        String code = codeFrom(WEB_REDIRECT, response);
        assertThat(AuthorizeSteps.redeemWeb(server, query, code).status()).isEqualTo(200);
    }

    @Test
    void parameterOrderDoesNotMatter() {
        UserAgent browser = signedInBrowser();
        AuthorizeQuery query = AuthorizeQuery.web("reversed");

        HttpResponse<String> response = browser.get("/authorize?" + query.encodedReversed());

        String code = codeFrom(WEB_REDIRECT, response);
        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("state", "reversed");
        assertThat(AuthorizeSteps.redeemWeb(server, query, code).status()).isEqualTo(200);
    }

    @Test
    void unknownParametersAreIgnored() {
        UserAgent browser = signedInBrowser();
        AuthorizeQuery query = AuthorizeQuery.web("extra").with("extra", "foobar");

        HttpResponse<String> response = browser.get("/authorize?" + query.encoded());

        String code = codeFrom(WEB_REDIRECT, response);
        assertThat(redirectTo(WEB_REDIRECT, response)).doesNotContainKey("extra");
        assertThat(AuthorizeSteps.redeemWeb(server, query, code).status()).isEqualTo(200);
    }

    @Test
    void displayLocalesLoginHintAndAcrValuesNeverCauseAnError() {
        UserAgent browser = signedInBrowser();
        AuthorizeQuery query = AuthorizeQuery.web("hints").with("display", "popup").with("ui_locales", "de-CH fr")
                .with("claims_locales", "fr-CA").with("login_hint", ALICE).with("acr_values", "urn:mace:incommon:iap:silver");

        HttpResponse<String> response = browser.get("/authorize?" + query.encoded());

        codeFrom(WEB_REDIRECT, response);
    }

    @Test
    void loginHintAloneShowsTheLoginPageWithoutAnError() {
        HttpResponse<String> page = server.userAgent().get("/authorize?" + AuthorizeQuery.web("hint")
                .with("login_hint", "bob").with("display", "touch").with("ui_locales", "xx-unknown").encoded());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"").doesNotContain("role=\"alert\"");
    }

    // --- errors returned to the client ------------------------------------------------------------

    @Test
    void missingResponseTypeIsInvalidRequestAtTheRedirectUri() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("no-rt").without("response_type"));

        assertThat(response).containsEntry("error", "invalid_request").containsEntry("state", "no-rt")
                .containsEntry("iss", server.issuer());
        assertThat(response.get("error_description")).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "id_token", "id_token token", "code id_token", "code token"})
    void responseTypesOtherThanCodeAreUnsupportedAndNeverIssueATokenEvenWithASession(String responseType) {
        UserAgent browser = signedInBrowser();

        HttpResponse<String> response = browser.get("/authorize?"
                + AuthorizeQuery.web("rt").with("response_type", responseType).with("nonce", "n").encoded());

        Map<String, String> parameters = redirectTo(WEB_REDIRECT, response);
        assertThat(parameters).containsEntry("error", "unsupported_response_type").containsEntry("iss", server.issuer())
                .doesNotContainKeys("access_token", "id_token", "code");
        assertThat(response.headers().firstValue("Location").orElseThrow()).doesNotContain("#");
    }

    @Test
    void requestParameterIsRequestNotSupported() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("ro").with("request", "eyJhbGciOiJub25lIn0.e30."));

        assertThat(response).containsEntry("error", "request_not_supported").containsEntry("state", "ro")
                .containsEntry("iss", server.issuer());
    }

    @Test
    void requestUriParameterIsRequestUriNotSupported() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("ru")
                .with("request_uri", "https://app.example.test/request.jwt"));

        assertThat(response).containsEntry("error", "request_uri_not_supported").containsEntry("state", "ru")
                .containsEntry("iss", server.issuer());
    }

    @Test
    void missingCodeChallengeIsInvalidRequestForAConfidentialClient() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("no-pkce")
                .without("code_challenge").without("code_challenge_method"));

        assertThat(response).containsEntry("error", "invalid_request").containsEntry("iss", server.issuer());
        assertThat(response.get("error_description")).contains("code_challenge");
    }

    @Test
    void missingCodeChallengeIsInvalidRequestForAPublicClient() {
        HttpResponse<String> raw = server.userAgent().get("/authorize?" + AuthorizeQuery.spa("spa-no-pkce")
                .without("code_challenge").without("code_challenge_method").encoded());

        assertThat(redirectTo(SPA_REDIRECT, raw)).containsEntry("error", "invalid_request")
                .containsEntry("state", "spa-no-pkce").containsEntry("iss", server.issuer());
    }

    @Test
    void plainCodeChallengeMethodIsInvalidRequest() {
        AuthorizeQuery query = AuthorizeQuery.web("plain");
        query.with("code_challenge", query.pkce().verifier()).with("code_challenge_method", "plain");

        Map<String, String> response = errorAtRedirect(query);

        assertThat(response).containsEntry("error", "invalid_request").containsEntry("iss", server.issuer());
    }

    @Test
    void codeChallengeWithoutAMethodIsInvalidRequestBecausePlainIsTheDefault() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("no-method").without("code_challenge_method"));

        assertThat(response).containsEntry("error", "invalid_request");
    }

    @Test
    void unknownScopeIsInvalidScope() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("scope").with("scope", "openid teleport"));

        assertThat(response).containsEntry("error", "invalid_scope").containsEntry("state", "scope")
                .containsEntry("iss", server.issuer());
    }

    @Test
    void scopeOutsideTheClientsListIsInvalidScope() {
        // email is a scope this server knows, but the SPA is not registered for it.
        HttpResponse<String> raw = server.userAgent().get("/authorize?"
                + AuthorizeQuery.spa("spa-scope").with("scope", "openid email").encoded());

        assertThat(redirectTo(SPA_REDIRECT, raw)).containsEntry("error", "invalid_scope")
                .containsEntry("iss", server.issuer());
    }

    @Test
    void repeatedStateIsInvalidRequestAtTheRedirectUri() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("first").repeat("state", "second"));

        assertThat(response).containsEntry("error", "invalid_request").containsEntry("iss", server.issuer());
    }

    @Test
    void repeatedScopeIsInvalidRequestAtTheRedirectUri() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("two-scopes").repeat("scope", "openid"));

        assertThat(response).containsEntry("error", "invalid_request").containsEntry("state", "two-scopes");
    }

    @Test
    void repeatedCodeChallengeIsInvalidRequestAtTheRedirectUri() {
        AuthorizeQuery query = AuthorizeQuery.web("two-challenges");
        query.repeat("code_challenge", query.pkce().challenge());

        assertThat(errorAtRedirect(query)).containsEntry("error", "invalid_request");
    }

    @Test
    void unknownResponseModeIsInvalidRequest() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web("mode").with("response_mode", "fragment"));

        assertThat(response).containsEntry("error", "invalid_request").containsEntry("iss", server.issuer());
    }

    // --- iss and state on every response (RFC 9207, RFC 6749 §4.1.2) ------------------------------

    @Test
    void successResponseCarriesIssAndEchoesAnAwkwardStateByteForByte() {
        UserAgent browser = signedInBrowser();

        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web(AWKWARD_STATE).encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsKey("code").containsEntry("state", AWKWARD_STATE)
                .containsEntry("iss", server.issuer());
    }

    @Test
    void errorResponseCarriesIssAndEchoesAnAwkwardStateByteForByte() {
        Map<String, String> response = errorAtRedirect(AuthorizeQuery.web(AWKWARD_STATE).with("scope", "nope"));

        assertThat(response).containsEntry("error", "invalid_scope").containsEntry("state", AWKWARD_STATE)
                .containsEntry("iss", server.issuer());
    }

    @Test
    void responseWithoutStateCarriesIssButNoState() {
        UserAgent browser = signedInBrowser();

        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web("x").without("state").encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsKey("code").containsEntry("iss", server.issuer())
                .doesNotContainKey("state");
    }

    @Test
    void codeRedirectIsNotCacheable() {
        UserAgent browser = signedInBrowser();

        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web("cache").encoded());

        codeFrom(WEB_REDIRECT, response);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    // --- response_mode=form_post -------------------------------------------------------------------

    @Test
    void formPostPostsCodeStateAndIssToTheRedirectUri() {
        UserAgent browser = signedInBrowser();
        AuthorizeQuery query = AuthorizeQuery.web(AWKWARD_STATE).with("response_mode", "form_post");

        HttpResponse<String> page = browser.get("/authorize?" + query.encoded());

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).containsPattern("<form\\b[^>]*method=\"post\"");
        assertThat(HtmlForms.formAction(page.body())).isEqualTo(WEB_REDIRECT);
        Map<String, String> fields = HtmlForms.hiddenInputs(page.body());
        assertThat(fields).containsOnlyKeys("code", "state", "iss").containsEntry("state", AWKWARD_STATE)
                .containsEntry("iss", server.issuer());
        assertThat(AuthorizeSteps.redeemWeb(server, query, fields.get("code")).status()).isEqualTo(200);
    }

    @Test
    void formPostPageLoadsTheStaticScriptAndHasNoInlineScript() {
        UserAgent browser = signedInBrowser();

        HttpResponse<String> page = browser.get("/authorize?"
                + AuthorizeQuery.web("script").with("response_mode", "form_post").encoded());

        assertThat(page.body()).contains("<script src=\"/static/form-post.js\"");
        Matcher scripts = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page.body());
        while (scripts.find()) {
            assertThat(scripts.group(1)).contains("src=");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(page.body()).doesNotContainPattern("(?i)\\son[a-z]+\\s*=");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(server.userAgent().get("/static/form-post.js").statusCode()).isEqualTo(200);
    }

    @Test
    void formPostAlsoCarriesErrorsWithStateAndIss() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("fp-error").with("response_mode", "form_post").with("prompt", "none").encoded());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(HtmlForms.formAction(page.body())).isEqualTo(WEB_REDIRECT);
        assertThat(HtmlForms.hiddenInputs(page.body())).containsEntry("error", "login_required")
                .containsEntry("state", "fp-error").containsEntry("iss", server.issuer()).doesNotContainKey("code");
    }

    // --- requests that must never be redirected (RFC 6749 §4.1.2.1) -----------------------------

    @Test
    void unregisteredRedirectUriShowsAnErrorPageAndNeverRedirects() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("evil").with("redirect_uri", "https://evil.example.test/steal").encoded());

        assertErrorPage(page, "evil.example.test");
    }

    @Test
    void registeredRedirectUriWithAnExtraQueryIsNotRegistered() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("q").with("redirect_uri", WEB_REDIRECT + "?next=https://evil.example.test").encoded());

        assertErrorPage(page, "evil.example.test");
    }

    @Test
    void nonLoopbackRedirectUriWithAnotherPortIsNotRegistered() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("port").with("redirect_uri", "https://app.example.test:8443/callback").encoded());

        assertErrorPage(page, "app.example.test:8443");
    }

    @Test
    void unknownClientIdShowsAnErrorPageAndNeverRedirects() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.client("intruder-app", "https://evil.example.test/cb", "s").encoded());

        assertErrorPage(page, "intruder-app", "evil.example.test");
    }

    @Test
    void missingClientIdShowsAnErrorPageAndNeverRedirects() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("no-client").without("client_id").encoded());

        assertErrorPage(page, "no-client");
    }

    @Test
    void duplicatedClientIdShowsAnErrorPageAndNeverRedirects() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("dup-client").repeat("client_id", TesseraTestServer.OTHER).encoded());

        assertErrorPage(page, "dup-client");
    }

    @Test
    void duplicatedRedirectUriShowsAnErrorPageAndNeverRedirects() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("dup-redirect").repeat("redirect_uri", "https://evil.example.test/cb").encoded());

        assertErrorPage(page, "evil.example.test");
    }

    @Test
    void clientThatMayNotUseTheCodeGrantShowsAnErrorPage() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.client(TesseraTestServer.SERVICE, "https://service.example.test/cb", "svc").encoded());

        assertErrorPage(page, "service.example.test");
    }

    @Test
    void malformedPercentEncodingInTheQueryShowsAnErrorPageNotAServerError() throws IOException {
        String response = rawGet("/authorize?client_id=web&response_type=code&state=%ZZ&redirect_uri="
                + "https%3A%2F%2Fapp.example.test%2Fcallback");

        assertRawErrorPage(response);
    }

    @Test
    void invalidUtf8InTheQueryShowsAnErrorPageNotAServerError() throws IOException {
        String response = rawGet("/authorize?client_id=web&response_type=code&state=%C3%28&redirect_uri="
                + "https%3A%2F%2Fapp.example.test%2Fcallback");

        assertRawErrorPage(response);
    }

    @Test
    void truncatedPercentEncodingInAPostBodyShowsAnErrorPageNotAServerError() {
        TokenClient.Response response = server.tokenClient().post("/authorize", null,
                "client_id=web&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.test%2Fcallback&state=%E");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.header("Location")).isNull();
        assertThat(response.body()).doesNotContain("Exception", "at dev.tessera");
    }

    @Test
    void postWithAJsonBodyShowsAnErrorPageNotAServerError() {
        TokenClient.Response response = server.tokenClient().post("/authorize", null, "application/json",
                "{\"client_id\":\"web\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.body()).doesNotContain("Exception", "at dev.tessera");
    }

    // --- RFC 8252 loopback redirect URIs ----------------------------------------------------------

    @Test
    void loopbackRedirectUriMayUseAnyPort() {
        String redirect = "http://127.0.0.1:53124/spa/callback";
        AuthorizeQuery query = AuthorizeQuery.spa("native").with("redirect_uri", redirect);
        UserAgent browser = server.userAgent();

        HttpResponse<String> response = browser.signInAndAllow(query.encoded(), ALICE, ALICE_PASSWORD);

        String code = codeFrom(redirect, response);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(redirect + "?");
        TokenClient.Response tokens = AuthorizeSteps.redeemPublic(server, TesseraTestServer.SPA, query, code);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    }

    @Test
    void loopbackRedirectUriWithAnotherPathIsNotRegistered() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.spa("native").with("redirect_uri", "http://127.0.0.1:53124/elsewhere").encoded());

        assertErrorPage(page, "elsewhere");
    }

    @Test
    void localhostIsNotTreatedAsALoopbackLiteral() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.spa("native").with("redirect_uri", "http://localhost:53124/spa/callback").encoded());

        assertErrorPage(page, "localhost");
    }

    // --- helpers --------------------------------------------------------------------------------

    /** One browser with Alice's session and consent, shared: these tests only read the session. */
    private static synchronized UserAgent signedInBrowser() {
        if (signedIn == null) {
            UserAgent browser = server.userAgent();
            codeFrom(WEB_REDIRECT, browser.signInAndAllow(AuthorizeQuery.web("sign-in").encoded(), ALICE, ALICE_PASSWORD));
            signedIn = browser;
        }
        return signedIn;
    }

    /** The error parameters of a request answered at the WEB client's redirect URI, from a browser with no session. */
    private static Map<String, String> errorAtRedirect(AuthorizeQuery query) {
        HttpResponse<String> response = server.userAgent().get("/authorize?" + query.encoded());
        Map<String, String> parameters = redirectTo(WEB_REDIRECT, response);
        assertThat(parameters).containsKey("error").doesNotContainKey("code");
        assertThat(parameters.get("error_description")).as("error_description").isNotBlank();
        return parameters;
    }

    private static Map<String, String> formOf(AuthorizeQuery query) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : query.encoded().split("&")) {
            int eq = pair.indexOf('=');
            form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    static void assertErrorPage(HttpResponse<String> page, String... notEchoed) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).as("never redirected").isEmpty();
        LoginPageTest.assertPageHeaders(page);
        assertThat(page.body()).contains("Request ID").doesNotContain("name=\"password\"", "Exception", "at dev.tessera");
        for (String value : notEchoed) {
            assertThat(page.body()).as("raw parameter echoed").doesNotContain(value);
        }
    }

    private static void assertRawErrorPage(String response) {
        assertThat(response).startsWith("HTTP/1.1 400");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertThat(head).doesNotContain("\r\nlocation:").contains("content-type: text/html");
        assertThat(response).doesNotContain("Exception", "at dev.tessera", "%ZZ");
    }

    private static String rawGet(String pathAndQuery) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nAccept: text/html\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
