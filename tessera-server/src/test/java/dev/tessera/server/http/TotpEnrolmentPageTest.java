package dev.tessera.server.http;

import dev.tessera.server.application.mfa.Base32;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TotpUsers;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB;
import static dev.tessera.server.testsupport.TesseraTestServer.BOB_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enrolment page (/account/totp): a signed-in user scans a new secret and confirms it with a first code
 * before it is saved; CSRF, a recent sign-in, and no replacing an existing factor from a browser.
 */
class TotpEnrolmentPageTest {
    static TesseraTestServer server;
    static final String ALICE_ID = UserConfig.defaultId(ALICE);

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(TotpUsers::withTina);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void aliceWithoutSecondFactor() {
        server.clock().advance(Duration.ofMinutes(16));
        server.app().totpSecrets().remove(ALICE_ID, "test");
    }

    @Test
    void theSignedInUserSeesAQrCodeTheKeyAndACodeFieldAndNothingIsSavedYet() {
        UserAgent browser = signedIn(ALICE, ALICE_PASSWORD);

        HttpResponse<String> page = browser.get("/account/totp");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        String body = page.body();
        assertThat(body).contains("Turn on two-step sign-in", "<svg class=\"qr-code\"", "<path d=\"M",
                "name=\"otp\"", "autocomplete=\"one-time-code\"", "inputmode=\"numeric\"", "href=\"otpauth://totp/");
        assertThat(HtmlForms.hiddenInputs(body)).containsKeys("csrf", "offer");
        assertThat(Base32.decode(secretOn(page))).hasSize(20);
        assertThat(HtmlForms.hiddenInputs(body).get("offer")).doesNotContain(secretOn(page));
        assertThat(server.app().totpSecrets().isEnrolled(ALICE_ID)).isFalse();
    }

    @Test
    void theRightCodeTurnsItOnAndTheNextSignInAsksForACode() {
        UserAgent browser = signedIn(ALICE, ALICE_PASSWORD);
        HttpResponse<String> page = browser.get("/account/totp");
        String secret = secretOn(page);

        HttpResponse<String> done = browser.submit(page, Map.of("otp", TotpUsers.code(secret, server.clock().instant())));

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Two-step sign-in is on").doesNotContain("name=\"otp\"");
        assertThat(server.app().totpSecrets().isEnrolled(ALICE_ID)).isTrue();

        // The confirming code is spent: it cannot also sign in.
        UserAgent other = server.userAgent();
        HttpResponse<String> login = other.get("/authorize?" + AuthorizeQuery.web("x").encoded());
        HttpResponse<String> codeStep = other.submit(login, Map.of("username", ALICE, "password", ALICE_PASSWORD));
        assertThat(codeStep.body()).contains("name=\"otp\"");
        HttpResponse<String> replay = other.submit(codeStep, Map.of("otp", TotpUsers.code(secret, server.clock().instant())));
        assertThat(replay.body()).contains("That code was already used");
        server.clock().advance(Duration.ofSeconds(30));
        HttpResponse<String> next = other.submit(replay, Map.of("otp", TotpUsers.code(secret, server.clock().instant())));
        assertThat(next.body()).doesNotContain("name=\"otp\"");
    }

    @Test
    void aWrongCodeKeepsTheSameKeyWithAClearMessageAndSavesNothing() {
        UserAgent browser = signedIn(ALICE, ALICE_PASSWORD);
        HttpResponse<String> page = browser.get("/account/totp");
        String secret = secretOn(page);

        HttpResponse<String> wrong = browser.submit(page,
                Map.of("otp", TotpUsers.wrongCode(secret, server.clock().instant())));

        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("role=\"alert\"", "That code didn't match");
        assertThat(secretOn(wrong)).isEqualTo(secret);
        assertThat(server.app().totpSecrets().isEnrolled(ALICE_ID)).isFalse();
        HttpResponse<String> right = browser.submit(wrong, Map.of("otp", TotpUsers.code(secret, server.clock().instant())));
        assertThat(right.body()).contains("Two-step sign-in is on");
    }

    @Test
    void anOfferEditedOrMadeForSomeoneElseStartsOverWithANewKey() {
        UserAgent bob = signedIn(BOB, BOB_PASSWORD);
        HttpResponse<String> bobsPage = bob.get("/account/totp");
        UserAgent alice = signedIn(ALICE, ALICE_PASSWORD);
        HttpResponse<String> alicesPage = alice.get("/account/totp");

        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(alicesPage.body()));
        form.put("offer", HtmlForms.hiddenInputs(bobsPage.body()).get("offer"));
        form.put("otp", TotpUsers.code(secretOn(bobsPage), server.clock().instant()));
        HttpResponse<String> foreign = alice.postForm("/account/totp", form);

        assertThat(foreign.body()).contains("here is a new key");
        assertThat(secretOn(foreign)).isNotEqualTo(secretOn(bobsPage)).isNotEqualTo(secretOn(alicesPage));
        assertThat(server.app().totpSecrets().isEnrolled(ALICE_ID)).isFalse();
        form.put("offer", "v1.garbage");
        assertThat(alice.postForm("/account/totp", form).statusCode()).isEqualTo(200);
        assertThat(server.app().totpSecrets().isEnrolled(ALICE_ID)).isFalse();
    }

    @Test
    void withoutTheCsrfTokenNothingIsSaved() {
        UserAgent browser = signedIn(ALICE, ALICE_PASSWORD);
        HttpResponse<String> page = browser.get("/account/totp");
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
        form.remove("csrf");
        form.put("otp", TotpUsers.code(secretOn(page), server.clock().instant()));

        HttpResponse<String> response = browser.postForm("/account/totp", form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(server.app().totpSecrets().isEnrolled(ALICE_ID)).isFalse();
    }

    @Test
    void withoutASessionThePageSaysToSignInFirst() {
        HttpResponse<String> page = server.userAgent().get("/account/totp");

        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("You are not signed in").doesNotContain("name=\"otp\"");
    }

    @Test
    void anOldSignInMustBeRenewedFirst() {
        UserAgent browser = signedIn(ALICE, ALICE_PASSWORD);
        server.clock().advance(Duration.ofMinutes(16));

        HttpResponse<String> page = browser.get("/account/totp");

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("Please sign in again first").doesNotContain("name=\"otp\"");
    }

    @Test
    void anExistingSecondFactorIsNeverReplacedFromTheBrowser() {
        UserAgent browser = signedIn(TotpUsers.TINA, TotpUsers.TINA_PASSWORD);

        HttpResponse<String> page = browser.get("/account/totp");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("already on").doesNotContain("name=\"otp\"", "qr-code");
    }

    @Test
    void guessingTheConfirmationCodeIsThrottled() {
        UserAgent browser = signedIn(BOB, BOB_PASSWORD);
        HttpResponse<String> page = browser.get("/account/totp");
        String wrong = TotpUsers.wrongCode(secretOn(page), server.clock().instant());
        for (int i = 0; i < 5; i++) {
            page = browser.submit(page, Map.of("otp", wrong));
        }

        HttpResponse<String> throttled = browser.submit(page, Map.of("otp", wrong));

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).contains("Too many wrong codes");
        assertThat(server.app().totpSecrets().isEnrolled(UserConfig.defaultId(BOB))).isFalse();
    }

    private static UserAgent signedIn(String username, String password) {
        UserAgent browser = server.userAgent();
        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web("s").encoded());
        response = browser.submit(response, Map.of("username", username, "password", password));
        if (response.body().contains("name=\"otp\"")) {
            response = browser.submit(response, Map.of("otp", TotpUsers.tinaCode(server)));
        }
        assertThat(response.body()).doesNotContain("name=\"password\"", "name=\"otp\"");
        return browser;
    }

    static String secretOn(HttpResponse<String> page) {
        Matcher secret = Pattern.compile("<code id=\"totp-secret\">([A-Z2-7 ]+)</code>").matcher(page.body());
        assertThat(secret.find()).as(page.body()).isTrue();
        return secret.group(1).replace(" ", "");
    }
}
