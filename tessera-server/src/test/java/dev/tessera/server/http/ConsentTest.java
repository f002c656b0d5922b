package dev.tessera.server.http;

import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.crypto.Argon2idPasswordHasher;
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

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET|POST /consent (SPEC §3): what the user is shown, what each decision sends to the client, and that
 * an allow is remembered per user, client and scopes. Each test signs in its own user, so remembered
 * consents never leak between tests.
 */
class ConsentTest {
    static final String PASSWORD = "consent test password 123";
    static final String FIRST_PARTY = "first-party";
    static final String FIRST_PARTY_REDIRECT = "https://first.example.test/cb";

    static TesseraTestServer server;
    private static String passwordHash;
    private static int nextUser;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(FIRST_PARTY).name("First Party App").secret("first-party-secret-0123456789-0123456789")
                    .redirectUris(List.of(FIRST_PARTY_REDIRECT)).scopes(List.of("openid", "profile", "email"))
                    .consent(ClientConfig.CONSENT_SKIP).build());
            return config.withClients(clients);
        });
        passwordHash = new Argon2idPasswordHasher().hash(PASSWORD.toCharArray());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void consentPageShowsTheClientNameAndTheScopesInWords() {
        HttpResponse<String> page = consentPage(server.userAgent(), freshUser(), AuthorizeQuery.web("words")
                .with("scope", "openid profile email"));

        assertThat(page.body()).contains("Example Web App", "See your name and profile details", "See your email address");
        LoginPageTest.assertPageHeaders(page);
    }

    @Test
    void consentPageHasAllowAsPrimaryAndDenyAsSecondaryButtons() {
        String body = consentPage(server.userAgent(), freshUser(), AuthorizeQuery.web("buttons")).body();

        assertThat(LoginPageTest.tag(body, "button", "value=\"allow\"")).contains("name=\"decision\"", "button-primary");
        assertThat(LoginPageTest.tag(body, "button", "value=\"deny\"")).contains("name=\"decision\"", "button-secondary");
        assertThat(HtmlForms.hiddenInputs(body)).containsKey("csrf");
    }

    @Test
    void denyIsAccessDeniedAtTheRedirectUriWithStateAndIss() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = consentPage(browser, freshUser(), AuthorizeQuery.web(AuthorizationEndpointTest.AWKWARD_STATE));

        HttpResponse<String> response = browser.submit(page, Map.of("decision", "deny"));

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "access_denied")
                .containsEntry("state", AuthorizationEndpointTest.AWKWARD_STATE).containsEntry("iss", server.issuer())
                .doesNotContainKey("code");
    }

    @Test
    void denyIsNotRemembered() {
        UserAgent browser = server.userAgent();
        browser.submit(consentPage(browser, freshUser(), AuthorizeQuery.web("deny-1")), Map.of("decision", "deny"));

        HttpResponse<String> again = browser.get("/authorize?" + AuthorizeQuery.web("deny-2").encoded());

        assertConsentPage(again);
    }

    @Test
    void allowIsRememberedForTheSameScopes() {
        UserAgent browser = server.userAgent();
        AuthorizeQuery first = AuthorizeQuery.web("allow-1").with("scope", "openid email");
        codeFrom(WEB_REDIRECT, browser.submit(consentPage(browser, freshUser(), first), Map.of("decision", "allow")));

        HttpResponse<String> second = browser.get("/authorize?" + AuthorizeQuery.web("allow-2").with("scope", "openid email").encoded());

        assertThat(redirectTo(WEB_REDIRECT, second)).containsKey("code").containsEntry("state", "allow-2");
    }

    @Test
    void allowIsRememberedAcrossSessionsOfTheSameUser() {
        String user = freshUser();
        UserAgent laptop = server.userAgent();
        codeFrom(WEB_REDIRECT, laptop.submit(consentPage(laptop, user, AuthorizeQuery.web("laptop")), Map.of("decision", "allow")));

        UserAgent phone = server.userAgent();
        HttpResponse<String> afterLogin = phone.submit(phone.get("/authorize?" + AuthorizeQuery.web("phone").encoded()),
                Map.of("username", user, "password", PASSWORD));

        assertThat(redirectTo(WEB_REDIRECT, afterLogin)).containsKey("code");
    }

    @Test
    void allowCoversARequestForFewerScopes() {
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.submit(consentPage(browser, freshUser(),
                AuthorizeQuery.web("wide").with("scope", "openid profile email")), Map.of("decision", "allow")));

        HttpResponse<String> narrower = browser.get("/authorize?" + AuthorizeQuery.web("narrow").with("scope", "openid email").encoded());

        assertThat(redirectTo(WEB_REDIRECT, narrower)).containsKey("code");
    }

    @Test
    void askingForANewScopeShowsTheConsentPageAgainWithThatScope() {
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.submit(consentPage(browser, freshUser(), AuthorizeQuery.web("openid-only")),
                Map.of("decision", "allow")));

        HttpResponse<String> wider = browser.get("/authorize?" + AuthorizeQuery.web("wider").with("scope", "openid email").encoded());

        assertConsentPage(wider);
        assertThat(wider.body()).contains("See your email address");
    }

    @Test
    void promptConsentShowsTheConsentPageEvenWhenConsentWasGiven() {
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.submit(consentPage(browser, freshUser(), AuthorizeQuery.web("given")),
                Map.of("decision", "allow")));

        HttpResponse<String> again = browser.get("/authorize?" + AuthorizeQuery.web("ask-again").with("prompt", "consent").encoded());

        assertConsentPage(again);
        assertThat(redirectTo(WEB_REDIRECT, browser.submit(again, Map.of("decision", "allow"))))
                .containsKey("code").containsEntry("state", "ask-again");
    }

    @Test
    void promptNoneWhenConsentIsNeededIsConsentRequired() {
        UserAgent browser = server.userAgent();
        consentPage(browser, freshUser(), AuthorizeQuery.web("unanswered")); // signed in, never answered

        HttpResponse<String> response = browser.get("/authorize?"
                + AuthorizeQuery.web("silent").with("prompt", "none").encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "consent_required")
                .containsEntry("state", "silent").containsEntry("iss", server.issuer()).doesNotContainKey("code");
    }

    @Test
    void clientWithConsentSkipNeverShowsTheConsentPage() {
        UserAgent browser = server.userAgent();
        AuthorizeQuery query = AuthorizeQuery.client(FIRST_PARTY, FIRST_PARTY_REDIRECT, "skip")
                .with("scope", "openid profile email");

        HttpResponse<String> afterLogin = browser.submit(browser.get("/authorize?" + query.encoded()),
                Map.of("username", freshUser(), "password", PASSWORD));

        assertThat(redirectTo(FIRST_PARTY_REDIRECT, afterLogin)).containsKey("code").containsEntry("state", "skip");
        HttpResponse<String> promptConsent = browser.get("/authorize?" + AuthorizeQuery.client(FIRST_PARTY,
                FIRST_PARTY_REDIRECT, "skip-2").with("prompt", "consent").encoded());
        assertThat(redirectTo(FIRST_PARTY_REDIRECT, promptConsent)).containsKey("code");
    }

    @Test
    void consentWithoutTheCsrfTokenIsRefusedAndNothingIsRemembered() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = consentPage(browser, freshUser(), AuthorizeQuery.web("no-csrf"));
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
        form.remove("csrf");
        form.put("decision", "allow");

        HttpResponse<String> response = browser.postForm("/consent", form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(redirectTo(WEB_REDIRECT, browser.get("/authorize?" + AuthorizeQuery.web("check").with("prompt", "none").encoded())))
                .containsEntry("error", "consent_required");
    }

    @Test
    void consentPostedFromABrowserWithoutASessionLeadsToTheLoginPageNotACode() {
        HttpResponse<String> victimsPage = consentPage(server.userAgent(), freshUser(), AuthorizeQuery.web("victim"));
        UserAgent attacker = server.userAgent();
        HttpResponse<String> attackersLogin = attacker.get("/authorize?" + AuthorizeQuery.web("attacker").encoded());
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(victimsPage.body()));
        form.put("csrf", HtmlForms.hiddenInputs(attackersLogin.body()).get("csrf")); // the attacker's own valid pair
        form.put("decision", "allow");

        HttpResponse<String> response = attacker.postForm("/consent", form);

        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("name=\"password\"");
    }

    @Test
    void consentWithAnUnknownDecisionIsAnErrorPage() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = consentPage(browser, freshUser(), AuthorizeQuery.web("maybe"));

        HttpResponse<String> response = browser.submit(page, Map.of("decision", "maybe"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------

    /** A new user in the store, with no session and no consent yet. */
    private static synchronized String freshUser() {
        String username = "consent-user-" + nextUser++;
        server.app().stores().users().upsert(new User(UserConfig.defaultId(username), username, passwordHash, List.of(),
                Map.of(), Map.of(), List.of(), true));
        return username;
    }

    /** Signs {@code user} in from {@code browser} and returns the consent page that follows. */
    private static HttpResponse<String> consentPage(UserAgent browser, String user, AuthorizeQuery query) {
        HttpResponse<String> login = browser.get("/authorize?" + query.encoded());
        assertThat(login.body()).as("login page").contains("name=\"password\"");
        HttpResponse<String> consent = browser.submit(login, Map.of("username", user, "password", PASSWORD));
        assertConsentPage(consent);
        return consent;
    }

    private static void assertConsentPage(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"decision\"", "Example Web App");
        assertThat(HtmlForms.formAction(page.body())).isEqualTo("/consent");
    }
}
