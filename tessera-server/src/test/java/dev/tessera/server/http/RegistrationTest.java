package dev.tessera.server.http;

import dev.tessera.server.config.RegistrationConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.RawHttp;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-service sign-up (SPEC §2 registration, §3 /register; issue 9): off and 404 by default; with
 * {@code registration.enabled} a CSRF-protected form whose account then signs in as usual, under the one password
 * policy, throttled per client address, one winner when two people race for a name, and never a 5xx.
 * The server trusts the loopback proxy, so each test signs up from its own forwarded address and the per-address
 * throttle of one test never reaches another.
 */
class RegistrationTest {
    private static final String PASSWORD = "a long and careful passphrase";
    private static final String OPERATOR_NAMED = "Frank"; // an operator's mixed-case name from the file
    private static final int FREE_ATTEMPTS_PER_ADDRESS = 10; // RegistrationService.PER_ADDRESS
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    static TesseraTestServer server;
    static TesseraTestServer closed;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<UserConfig> users = new ArrayList<>(config.users());
            users.add(UserConfig.builder(OPERATOR_NAMED).password("frank's own long password").build());
            return config.withUsers(users).withRegistration(new RegistrationConfig(true))
                    .withHttp(config.http().withTrustedProxies(List.of("127.0.0.1", "::1")));
        });
        closed = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        closed.close();
    }

    /** A browser behind the trusted proxy with a client address no other test uses. */
    private static UserAgent browser() {
        return server.userAgent().header("X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet());
    }

    private static Map<String, String> fields(String username, String email, String password) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", username);
        fields.put("email", email);
        fields.put("password", password);
        return fields;
    }

    private static HttpResponse<String> signUp(UserAgent browser, String username, String password) {
        return browser.submit(browser.get("/register"), fields(username, username + "@example.com", password));
    }

    private static Optional<User> user(String username) {
        return server.app().stores().users().findByUsername(username);
    }

    // --- off by default ---------------------------------------------------------------------------

    @Test
    void withoutRegistrationEnabledTheSignUpPageIsNotFoundAndNotLinked() {
        UserAgent browser = closed.userAgent();

        assertThat(browser.get("/register").statusCode()).isEqualTo(404);
        assertThat(browser.postForm("/register", fields("mallory", "m@example.com", PASSWORD)).statusCode())
                .isEqualTo(404);
        assertThat(browser.get("/authorize?" + AuthorizeQuery.web("s").encoded()).body())
                .contains("name=\"password\"").doesNotContain("/register").doesNotContain("Create an account");
        assertThat(closed.app().stores().users().findByUsername("mallory")).isEmpty();
    }

    // --- the happy path -----------------------------------------------------------------------------

    @Test
    void theSignInPageLinksToSignUpCarryingTheAuthorizationRequest() {
        HttpResponse<String> login = browser().get("/authorize?" + AuthorizeQuery.web("link").encoded());

        Matcher link = Pattern.compile("<a href=\"(/register\\?[^\"]*)\">Create an account</a>").matcher(login.body());
        assertThat(link.find()).as(login.body()).isTrue();
        assertThat(HtmlForms.unescape(link.group(1))).contains("client_id=web", "state=link");
    }

    @Test
    void aNewAccountThenSignsInAsUsualAndTheAuthorizationRequestContinues() {
        UserAgent browser = browser();
        AuthorizeQuery query = AuthorizeQuery.web("new-account");
        HttpResponse<String> form = browser.get("/register?" + query.encoded());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("Create your account", "Example Web App", "name=\"email\"");

        HttpResponse<String> done = browser.submit(form, fields("carol", "carol@example.com", PASSWORD));

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Your account is ready", "carol").doesNotContain(PASSWORD);
        assertThat(done.headers().firstValue("Cache-Control")).hasValue("no-store");
        // the confirmation leads to the sign-in for the same request, the new username filled in
        Matcher next = Pattern.compile("href=\"(/login\\?[^\"]*)\"").matcher(done.body());
        assertThat(next.find()).isTrue();
        HttpResponse<String> login = browser.get(HtmlForms.unescape(next.group(1)));
        assertThat(login.body()).containsPattern("name=\"username\"[^>]*value=\"carol\"");
        HttpResponse<String> consent = browser.submit(login, Map.of("username", "carol", "password", PASSWORD));
        HttpResponse<String> redirect = browser.submit(consent, Map.of("decision", "allow"));
        assertThat(AuthorizeSteps.redirectTo(WEB_REDIRECT, redirect)).containsEntry("state", "new-account")
                .containsKey("code");

        User carol = user("carol").orElseThrow();
        assertThat(carol.enabled()).isTrue();
        assertThat(carol.claims()).containsEntry("email", "carol@example.com").containsEntry("email_verified", false)
                .containsEntry("preferred_username", "carol");
        assertThat(carol.passwordHash()).startsWith("$argon2id$").doesNotContain(PASSWORD);
        assertThat(carol.roles()).isEmpty();
    }

    @Test
    void aSignUpOnItsOwnCreatesTheAccountAndAnotherBrowserSignsInWithIt() {
        UserAgent browser = browser();
        HttpResponse<String> form = browser.get("/register");
        assertThat(form.body()).doesNotContain("Already have an account");

        HttpResponse<String> done = browser.submit(form, fields("dora", "dora@example.com", PASSWORD));

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Your account is ready", "Go back to the app");
        HttpResponse<String> signedIn = server.userAgent().signInAndAllow(AuthorizeQuery.web("dora").encoded(),
                "dora", PASSWORD);
        codeFrom(WEB_REDIRECT, signedIn);
    }

    @Test
    void theAuditEventNamesTheNewUserButNeverThePassword() {
        try (LogCapture audit = LogCapture.of("tessera.audit")) {
            signUp(browser(), "edgar", PASSWORD);

            String text = audit.allText();
            assertThat(text).contains("user_registered").contains("edgar").doesNotContain(PASSWORD)
                    .doesNotContain("argon2");
        }
    }

    // --- refused input ------------------------------------------------------------------------------

    @Test
    void aWeakPasswordIsRefusedWithThePolicysMessageKeepingEverythingButThePassword() {
        String weak = "short-pw";

        UserAgent browser = browser();
        HttpResponse<String> page = browser.submit(browser.get("/register"), fields("gina", "gina@example.com", weak));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(fieldError(page, "password")).isEqualTo("The password must have at least 12 characters.");
        assertThat(page.body()).containsPattern("id=\"username\"[^>]*value=\"gina\"")
                .containsPattern("id=\"email\"[^>]*value=\"gina@example.com\"")
                .doesNotContain(weak);
        assertThat(page.body()).containsPattern("role=\"alert\"");
        assertThat(user("gina")).isEmpty();
    }

    @Test
    void usernamesAreLowerCaseThreeToSixtyFourCharactersWithAClearMessage() {
        assertUsernameRefused("Hannah", "Usernames are lower case: try \u201Channah\u201D.");
        assertUsernameRefused("hb", "A username needs at least 3 characters.");
        assertUsernameRefused("h".repeat(65), "A username can have at most 64 characters.");
        assertUsernameRefused("han nah", "Use only lower-case letters (a\u2013z), digits, dots, hyphens and underscores.");
        assertUsernameRefused("h\u00E4nnah", "Use only lower-case letters (a\u2013z), digits, dots, hyphens and underscores.");
        assertUsernameRefused(".hannah", "A username must start and end with a letter or a digit.");
        assertUsernameRefused("", "Choose a username.");

        HttpResponse<String> longest = signUp(browser(), "h".repeat(64), PASSWORD);
        assertThat(longest.statusCode()).isEqualTo(200);
    }

    private static void assertUsernameRefused(String username, String message) {
        HttpResponse<String> page = signUp(browser(), username, PASSWORD);

        assertThat(page.statusCode()).as(username).isEqualTo(400);
        assertThat(fieldError(page, "username")).as(username).isEqualTo(message);
        assertThat(tagWithId(page.body(), "username")).contains("aria-invalid=\"true\"");
        assertThat(user(username)).isEmpty();
    }

    @Test
    void anEmailAddressThatCannotBeOneIsRefused() {
        UserAgent browser = browser();
        HttpResponse<String> page = browser.submit(browser.get("/register"),
                fields("ivan", "ivan at example.com", PASSWORD));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(fieldError(page, "email")).isEqualTo("Enter an email address like name@example.com.");
        assertThat(page.body()).containsPattern("id=\"email\"[^>]*value=\"ivan at example.com\"");
        assertThat(user("ivan")).isEmpty();
    }

    @Test
    void aTakenUsernameIsRefusedAndTheExistingAccountIsUntouched() {
        User before = user(ALICE).orElseThrow();

        HttpResponse<String> page = signUp(browser(), ALICE, "a different long password");

        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(fieldError(page, "username")).isEqualTo("That username is already taken. Please choose another one.");
        assertThat(user(ALICE)).contains(before);
        codeFrom(WEB_REDIRECT, server.userAgent().signInAndAllow(AuthorizeQuery.web("alice").encoded(), ALICE,
                ALICE_PASSWORD));
    }

    @Test
    void aNameThatDiffersFromAnOperatorsAccountOnlyInCaseIsTaken() {
        HttpResponse<String> page = signUp(browser(), "frank", PASSWORD);

        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(user("frank")).isEmpty();
    }

    // --- CSRF -----------------------------------------------------------------------------------------

    @Test
    void withoutTheCsrfFieldNothingIsCreated() {
        UserAgent browser = browser();
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(browser.get("/register").body()));
        form.remove("csrf");
        form.putAll(fields("julia", "julia@example.com", PASSWORD));

        assertCsrfRefused(browser.postForm("/register", form));
        assertThat(user("julia")).isEmpty();
    }

    @Test
    void withAWrongOrForeignCsrfTokenNothingIsCreated() {
        UserAgent browser = browser();
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(browser.get("/register").body()));
        form.putAll(fields("karl", "karl@example.com", PASSWORD));
        form.put("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertCsrfRefused(browser.postForm("/register", form));

        String someoneElses = HtmlForms.hiddenInputs(browser().get("/register").body()).get("csrf");
        form.put("csrf", someoneElses);
        assertCsrfRefused(browser.postForm("/register", form));

        assertThat(user("karl")).isEmpty();
    }

    private static void assertCsrfRefused(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Your sign-up page expired");
    }

    // --- throttling -----------------------------------------------------------------------------------

    @Test
    void eachAddressGetsTenAttemptsThenWaitsAndThePageSaysForHowLong() {
        UserAgent browser = browser();
        HttpResponse<String> page = browser.get("/register");
        for (int attempt = 1; attempt <= FREE_ATTEMPTS_PER_ADDRESS; attempt++) {
            page = browser.submit(page, fields("Lena", "lena@example.com", PASSWORD)); // counted though refused
            assertThat(page.statusCode()).as("attempt %d", attempt).isEqualTo(400);
        }

        HttpResponse<String> throttled = browser.submit(page, fields("lena", "lena@example.com", PASSWORD));

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(alert(throttled)).isEqualTo("Too many sign-up attempts from your network. Try again in 30\u00A0seconds.");
        assertThat(throttled.body()).containsPattern("id=\"username\"[^>]*value=\"lena\"").doesNotContain(PASSWORD);
        assertThat(user("lena")).isEmpty();
        // another address is not held up
        assertThat(signUp(browser(), "lena", PASSWORD).statusCode()).isEqualTo(200);
    }

    // --- the race -------------------------------------------------------------------------------------

    @Test
    void ofFourParallelSignUpsForOneNameExactlyOneWinsAndTheOthersAreToldItIsTaken() throws Exception {
        int racers = 4;
        List<UserAgent> browsers = new ArrayList<>();
        List<HttpResponse<String>> forms = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            UserAgent browser = browser();
            browsers.add(browser);
            forms.add(browser.get("/register"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int racer = i;
                results.add(pool.submit(() -> {
                    go.await();
                    return browsers.get(racer).submit(forms.get(racer),
                            fields("max", "max" + racer + "@example.com", PASSWORD + racer));
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> result : results) {
                HttpResponse<String> page = result.get(60, TimeUnit.SECONDS);
                statuses.add(page.statusCode());
                if (page.statusCode() == 409) {
                    assertThat(fieldError(page, "username")).contains("already taken");
                }
            }
            assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.app().stores().users().list()).extracting(User::username).containsOnlyOnce("max");
    }

    // --- hostile bodies ---------------------------------------------------------------------------------

    @Test
    void malformedAndRawByteBodiesAreClientErrorsNeverAServerError() {
        UserAgent browser = browser();
        Map<String, String> hidden = HtmlForms.hiddenInputs(browser.get("/register").body());
        String cookie = "tessera_csrf=" + browser.cookie("tessera_csrf");
        String validStart = "csrf=" + hidden.get("csrf") + "&request=&";
        List<byte[]> bodies = List.of(
                bytes(validStart + "username=n\u20AC+&email=a@b.c&password=" + PASSWORD.replace(' ', '+')),
                concat(bytes(validStart + "username=nora&email="), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41},
                        bytes("&password=x")),
                bytes(validStart + "username=%zz&email=%&password=%E2%82"),
                bytes(validStart + "username=a&username=b&email=x@y.z&password=" + "p".repeat(20)),
                bytes(validStart + "username=%00nul%00&email=%00&password=%00%00%00%00%00%00%00%00%00%00%00%00"),
                bytes(validStart + "username=" + "x".repeat(40_000) + "&email=e@e.e&password=pw"),
                bytes("&&&=&=="),
                new byte[] {(byte) 0xc3, 0x28, '=', (byte) 0xa0, (byte) 0xa1},
                new byte[0]);
        for (byte[] body : bodies) {
            for (String contentType : List.of("application/x-www-form-urlencoded", "text/plain",
                    "application/x-www-form-urlencoded; charset=ISO-8859-1")) {
                RawHttp.Response response = post(cookie, contentType, body);
                assertThat(response.status()).as("%s %s", contentType, new String(body, StandardCharsets.ISO_8859_1))
                        .isBetween(400, 499);
                assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
        assertThat(post(cookie, "application/x-www-form-urlencoded", new byte[80 * 1024]).status()).isBetween(400, 499);
        assertThat(user("nora")).isEmpty();
        assertThat(user("x".repeat(40_000))).isEmpty();
    }

    @Test
    void aSignUpOrSignInLinkWithAMalformedQueryIsAClearPageAndSignUpWithoutOneIsTheBareForm() {
        RawHttp.Response signUp = get("/register?client_id=web&state=%ZZ");
        RawHttp.Response signIn = get("/login?client_id=web&state=%ZZ");

        assertThat(signUp.status()).isEqualTo(400);
        assertThat(signUp.body()).contains("The sign-up link is invalid", "The link that brought you here is malformed.")
                .doesNotContain("Exception", "%ZZ");
        assertThat(signIn.status()).isEqualTo(400);
        assertThat(signIn.body()).contains("The sign-in link is invalid", "The link that brought you here is malformed.")
                .doesNotContain("Exception", "%ZZ");
        HttpResponse<String> bare = browser().get("/register");
        assertThat(bare.statusCode()).isEqualTo(200);
        assertThat(bare.body()).contains("Create your account", "name=\"email\"");
    }

    private static RawHttp.Response get(String pathAndQuery) {
        String head = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: text/html";
        return RawHttp.exchange(server.port(), head.getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
    }

    private static RawHttp.Response post(String cookie, String contentType, byte[] body) {
        String head = "POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept: text/html\r\n"
                + "X-Forwarded-For: 203.0.113." + ADDRESSES.incrementAndGet() % 250 + "\r\n"
                + "Cookie: " + cookie + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length;
        return RawHttp.exchange(server.port(), head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    // --- page reading -----------------------------------------------------------------------------------

    private static String fieldError(HttpResponse<String> page, String field) {
        Matcher matcher = Pattern.compile("<p class=\"field-error\" id=\"" + field + "-error\">([^<]*)</p>")
                .matcher(page.body());
        assertThat(matcher.find()).as("an error under %s in %s", field, page.body()).isTrue();
        return HtmlForms.unescape(matcher.group(1));
    }

    private static String alert(HttpResponse<String> page) {
        Matcher matcher = Pattern.compile("role=\"alert\"[^>]*>([^<]*)<").matcher(page.body());
        assertThat(matcher.find()).as("an alert in %s", page.body()).isTrue();
        return HtmlForms.unescape(matcher.group(1));
    }

    private static String tagWithId(String html, String id) {
        Matcher matcher = Pattern.compile("<[a-z]+ [^>\n]*id=\"" + Pattern.quote(id) + "\"[^\n]*").matcher(html);
        assertThat(matcher.find()).as("element with id %s", id).isTrue();
        return matcher.group();
    }
}
