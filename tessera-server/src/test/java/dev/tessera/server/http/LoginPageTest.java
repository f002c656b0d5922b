package dev.tessera.server.http;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.http.view.LoginPage;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in page (SPEC §3 /login, ARCHITECTURE §2.12): a labelled form with a CSRF token, one generic
 * message for every failure, throttling per username, and the headers and cookie that keep it safe.
 */
class LoginPageTest {
    static final String CAROL = "carol";
    static final String CAROL_PASSWORD = "carol's throttled password";
    static final String DAVE = "dave";
    static final String DAVE_PASSWORD = "dave's disabled password";
    static final int FREE_ATTEMPTS_PER_USER = 5; // LoginService.PER_USER

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<UserConfig> users = new ArrayList<>(config.users());
            users.add(UserConfig.builder(CAROL).password(CAROL_PASSWORD).build());
            users.add(UserConfig.builder(DAVE).password(DAVE_PASSWORD).build());
            return config.withUsers(users);
        });
        UserStore users = server.app().stores().users();
        users.upsert(users.findByUsername(DAVE).orElseThrow().withEnabled(false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // --- the page ---------------------------------------------------------------------------------

    @Test
    void loginPageHasLabelledUsernameAndPasswordInputs() {
        String body = loginPage(server.userAgent()).body();

        assertThat(body).contains("<label for=\"username\">", "<label for=\"password\">");
        assertThat(tag(body, "input", "id=\"username\"")).contains("name=\"username\"", "autocomplete=\"username\"");
        assertThat(tag(body, "input", "id=\"password\"")).contains("name=\"password\"", "type=\"password\"",
                "autocomplete=\"current-password\"");
        assertThat(body).contains("<html lang=");
    }

    @Test
    void loginPageCarriesACsrfTokenSignedOverAStrictHttpOnlyCookie() {
        HttpResponse<String> page = loginPage(server.userAgent());

        String token = HtmlForms.hiddenInputs(page.body()).get("csrf");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        String cookie = setCookie(page, "tessera_csrf").orElseThrow();
        assertThat(cookie).matches("tessera_csrf=[A-Za-z0-9_-]{43};.*").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
        // the field is derived from the cookie with the server's key, never a copy of it
        assertThat(cookie).doesNotContain(token);
    }

    @Test
    void loginPageNamesTheClient() {
        assertThat(loginPage(server.userAgent()).body()).contains("Example Web App");
    }

    @Test
    void loginPageCannotBeFramedOrCached() {
        HttpResponse<String> page = loginPage(server.userAgent());

        assertPageHeaders(page);
    }

    @Test
    void loginHintPrefillsTheUsername() {
        HttpResponse<String> page = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("hint").with("login_hint", "bob").encoded());

        assertThat(page.body()).containsPattern("name=\"username\"[^>]*value=\"bob\"");
    }

    @Test
    void getLoginWithTheAuthorizationRequestShowsTheForm() {
        HttpResponse<String> page = server.userAgent().get("/login?" + AuthorizeQuery.web("direct").encoded());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"", "Example Web App");
    }

    @Test
    void getLoginForAnUnknownClientShowsAnErrorPage() {
        HttpResponse<String> page = server.userAgent().get("/login?"
                + AuthorizeQuery.client("ghost-app", "https://evil.example.test/cb", "s").encoded());

        AuthorizationEndpointTest.assertErrorPage(page, "ghost-app", "evil.example.test");
    }

    @Test
    void stylesheetIsServedAsCss() {
        HttpResponse<String> css = server.userAgent().get("/static/tessera.css");

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        assertThat(css.body()).isNotBlank();
    }

    // --- failed attempts --------------------------------------------------------------------------

    @Test
    void wrongPasswordShowsTheSamePageWithAGenericAlertKeepingTheUsernameButNotThePassword() {
        UserAgent browser = server.userAgent();
        String wrong = "not-alices-password-7f3a";

        HttpResponse<String> page = browser.submit(loginPage(browser), Map.of("username", ALICE, "password", wrong));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(alert(page)).isEqualTo(LoginPage.BAD_CREDENTIALS);
        assertThat(page.body()).containsPattern("name=\"username\"[^>]*value=\"alice\"").doesNotContain(wrong);
        assertThat(page.body()).doesNotContainPattern("name=\"password\"[^>]*value=");
        assertThat(setCookie(page, "tessera_session")).isEmpty();
        assertPageHeaders(page);
    }

    @Test
    void unknownUserGetsTheSameMessageAsAWrongPassword() {
        UserAgent browser = server.userAgent();

        HttpResponse<String> page = browser.submit(loginPage(browser),
                Map.of("username", "nobody-here", "password", ALICE_PASSWORD));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(alert(page)).isEqualTo(LoginPage.BAD_CREDENTIALS);
        assertThat(setCookie(page, "tessera_session")).isEmpty();
    }

    @Test
    void afterAFailedAttemptTheRightPasswordStillSignsIn() {
        UserAgent browser = server.userAgent();
        AuthorizeQuery query = AuthorizeQuery.web("retry");
        HttpResponse<String> failed = browser.submit(browser.get("/authorize?" + query.encoded()),
                Map.of("username", ALICE, "password", "typo"));

        HttpResponse<String> next = browser.submit(failed, Map.of("username", ALICE, "password", ALICE_PASSWORD));

        if (next.statusCode() == 200 && next.body().contains("name=\"decision\"")) {
            next = browser.submit(next, Map.of("decision", "allow"));
        }
        assertThat(redirectTo(WEB_REDIRECT, next)).containsEntry("state", "retry").containsKey("code");
    }

    @Test
    void disabledUserCannotSignInAndGetsTheGenericMessage() {
        UserAgent browser = server.userAgent();

        HttpResponse<String> page = browser.submit(loginPage(browser), Map.of("username", DAVE, "password", DAVE_PASSWORD));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(alert(page)).isEqualTo(LoginPage.BAD_CREDENTIALS);
        assertThat(setCookie(page, "tessera_session")).isEmpty();
        assertThat(redirectTo(WEB_REDIRECT, browser.get("/authorize?" + AuthorizeQuery.web("dave").with("prompt", "none").encoded())))
                .containsEntry("error", "login_required");
    }

    @Test
    void afterFiveFailuresEvenTheRightPasswordWaitsAndThePageSaysForHowLong() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = loginPage(browser);
        for (int attempt = 1; attempt <= FREE_ATTEMPTS_PER_USER; attempt++) {
            page = browser.submit(page, Map.of("username", CAROL, "password", "guess-" + attempt));
            assertThat(alert(page)).as("attempt %d", attempt).isEqualTo(LoginPage.BAD_CREDENTIALS);
        }

        HttpResponse<String> throttled = browser.submit(page, Map.of("username", CAROL, "password", CAROL_PASSWORD));

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(alert(throttled)).isEqualTo("Too many sign-in attempts. Try again in 1\u00A0second.");
        assertThat(throttled.body()).containsPattern("name=\"username\"[^>]*value=\"carol\"");
        assertThat(setCookie(throttled, "tessera_session")).isEmpty();
        // The limit is per username: another user signs in from the same address.
        HttpResponse<String> alice = server.userAgent().signInAndAllow(AuthorizeQuery.web("not-throttled").encoded(),
                ALICE, ALICE_PASSWORD);
        codeFrom(WEB_REDIRECT, alice);

        // A wait, not a lock: once it is over, the right password works.
        server.clock().advance(java.time.Duration.ofSeconds(1));
        HttpResponse<String> signedIn = browser.submit(throttled, Map.of("username", CAROL, "password", CAROL_PASSWORD));
        assertThat(setCookie(signedIn, "tessera_session")).isPresent();
    }

    // --- CSRF ---------------------------------------------------------------------------------------

    @Test
    void loginWithoutTheCsrfFieldShowsAnErrorPageAndStartsNoSession() {
        UserAgent browser = server.userAgent();
        Map<String, String> form = formOf(loginPage(browser));
        form.remove("csrf");

        HttpResponse<String> response = browser.postForm("/login", form);

        assertCsrfRefused(browser, response);
    }

    @Test
    void loginWithAWrongCsrfTokenShowsAnErrorPageAndStartsNoSession() {
        UserAgent browser = server.userAgent();
        Map<String, String> form = formOf(loginPage(browser));
        form.put("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        HttpResponse<String> response = browser.postForm("/login", form);

        assertCsrfRefused(browser, response);
    }

    @Test
    void aCsrfCookieAndFieldPlantedTogetherByAnAttackerAreRefused() {
        // Someone who can set a cookie for this host (a sibling subdomain, a plain-http hop) and makes the
        // browser post the same value: the old double-submit check accepted any equal pair.
        Map<String, String> form = formOf(loginPage(server.userAgent()));
        UserAgent browser = server.userAgent();
        String planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        browser.setCookie("tessera_csrf", planted);
        form.put("csrf", planted);

        HttpResponse<String> response = browser.postForm("/login", form);

        assertCsrfRefused(browser, response);
    }

    @Test
    void aCsrfTokenIssuedForAnotherBrowserIsRefused() {
        Map<String, String> victim = formOf(loginPage(server.userAgent()));
        UserAgent attacker = server.userAgent();
        Map<String, String> form = formOf(loginPage(attacker));
        form.put("csrf", victim.get("csrf"));

        assertCsrfRefused(attacker, attacker.postForm("/login", form));
    }

    @Test
    void loginPostedFromAnotherBrowserWithoutTheCsrfCookieIsRefused() {
        Map<String, String> form = formOf(loginPage(server.userAgent()));
        UserAgent attacker = server.userAgent();

        HttpResponse<String> response = attacker.postForm("/login", form);

        assertCsrfRefused(attacker, response);
    }

    @Test
    void loginWithATamperedRequestRedirectUriShowsAnErrorPageAndNeverRedirects() {
        UserAgent browser = server.userAgent();
        Map<String, String> form = formOf(loginPage(browser));
        form.put("request", AuthorizeQuery.web("tampered").with("redirect_uri", "https://evil.example.test/cb").encoded());

        HttpResponse<String> response = browser.postForm("/login", form);

        AuthorizationEndpointTest.assertErrorPage(response, "evil.example.test");
        assertThat(setCookie(response, "tessera_session")).isEmpty();
    }

    // --- the session cookie ---------------------------------------------------------------------

    @Test
    void sessionCookieIsHttpOnlyLaxForTheWholeSiteAndNotSecureOnAnHttpIssuer() {
        UserAgent browser = server.userAgent();

        HttpResponse<String> response = browser.submit(loginPage(browser), Map.of("username", ALICE, "password", ALICE_PASSWORD));

        String cookie = setCookie(response, "tessera_session").orElseThrow();
        List<String> attributes = List.of(cookie.toLowerCase(java.util.Locale.ROOT).split(";\\s*"));
        assertThat(attributes).contains("httponly", "samesite=lax", "path=/").doesNotContain("secure");
        assertThat(cookie).doesNotContain(ALICE_PASSWORD);
    }

    // --- helpers --------------------------------------------------------------------------------

    private static HttpResponse<String> loginPage(UserAgent browser) {
        HttpResponse<String> page = browser.get("/authorize?" + AuthorizeQuery.web("login-page").encoded());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"");
        return page;
    }

    private static Map<String, String> formOf(HttpResponse<String> page) {
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
        form.put("username", ALICE);
        form.put("password", ALICE_PASSWORD);
        return form;
    }

    private static void assertCsrfRefused(UserAgent browser, HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).doesNotContain("name=\"password\"");
        assertThat(setCookie(response, "tessera_session")).isEmpty();
        HttpResponse<String> silent = browser.get("/authorize?" + AuthorizeQuery.web("after-csrf").with("prompt", "none").encoded());
        assertThat(redirectTo(WEB_REDIRECT, silent)).containsEntry("error", "login_required");
    }

    static void assertPageHeaders(HttpResponse<String> page) {
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'", "default-src 'self'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    private static Optional<String> setCookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
    }

    /** The first {@code <name ...>} tag carrying {@code attribute}, whole; fails when there is none. */
    static String tag(String html, String name, String attribute) {
        Matcher tag = Pattern.compile("<" + name + "\\b[^>]*" + Pattern.quote(attribute) + "[^>]*>").matcher(html);
        assertThat(tag.find()).as("<%s %s>", name, attribute).isTrue();
        return tag.group();
    }

    /** The text of the page's role="alert" region, unescaped; null when there is none. */
    static String alert(HttpResponse<String> page) {
        Matcher alert = Pattern.compile("<div[^>]*role=\"alert\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(page.body());
        if (!alert.find()) {
            return null;
        }
        return alert.group(1).trim().replace("&#39;", "'").replace("&#34;", "\"").replace("&quot;", "\"")
                .replace("&amp;", "&");
    }
}
