package dev.tessera.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.TotpUsers;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static dev.tessera.server.testsupport.TotpUsers.TINA;
import static dev.tessera.server.testsupport.TotpUsers.TINA_PASSWORD;
import static dev.tessera.server.testsupport.TotpUsers.TINA_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in with a second factor (SPEC §3 /login otp step, §5 acr/amr): a user with a TOTP secret gives the
 * code after the password, on the same /login page; wrong, replayed and throttled codes get clear messages;
 * tokens carry the multi-factor acr and amr ["pwd","otp","mfa"] (RFC 8176).
 */
class TotpLoginTest {
    static final String MFA = "urn:tessera:acr:mfa";
    static final String PWD = "urn:tessera:acr:pwd";

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(TotpUsers::withTina);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void nextTimeStep() {
        // Every test starts in a fresh time step (no code another test spent) with the throttles forgotten.
        server.clock().advance(Duration.ofMinutes(16));
    }

    @Test
    void afterThePasswordAUserWithTotpIsAskedForTheCodeOnTheLoginPage() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> codeStep = passwordStep(browser, AuthorizeQuery.web("s1"));

        assertThat(codeStep.statusCode()).isEqualTo(200);
        String body = codeStep.body();
        assertThat(HtmlForms.formAction(body)).isEqualTo("/login");
        assertThat(body).contains("name=\"otp\"", "inputmode=\"numeric\"", "autocomplete=\"one-time-code\"",
                "pattern=\"[0-9]{6}\"", "maxlength=\"6\"", "<label for=\"otp\">");
        assertThat(body).contains("type=\"submit\">Sign in</button>");
        assertThat(body).doesNotContain("name=\"password\"");
        assertThat(HtmlForms.hiddenInputs(body)).containsKeys("csrf", "request", "ticket");
        assertThat(codeStep.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("tessera_session"));
    }

    @Test
    void theRightCodeSignsInAndTheTokensCarryTheMfaLevel() throws Exception {
        AuthorizeQuery query = AuthorizeQuery.web("s2").with("scope", "openid offline_access");
        UserAgent browser = server.userAgent();
        HttpResponse<String> afterCode = browser.submit(passwordStep(browser, query),
                Map.of("otp", TotpUsers.tinaCode(server)));
        TokenClient.Response tokens = AuthorizeSteps.redeemWeb(server, query, allow(browser, afterCode, query));

        JWTClaimsSet id = AuthorizeSteps.idToken(tokens);
        assertThat(id.getStringClaim("acr")).isEqualTo(MFA);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        JWTClaimsSet access = SignedJWT.parse(tokens.string("access_token")).getJWTClaimsSet();
        assertThat(access.getStringClaim("acr")).isEqualTo(MFA);
        assertThat(access.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(access.getDateClaim("auth_time")).isEqualTo(id.getDateClaim("auth_time"));

        // A refresh keeps how the user signed in.
        TokenClient.Response refreshed = server.tokenClient().token(TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token")));
        JWTClaimsSet refreshedId = AuthorizeSteps.idToken(refreshed);
        assertThat(refreshedId.getStringClaim("acr")).isEqualTo(MFA);
        assertThat(refreshedId.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(refreshedId.getDateClaim("auth_time")).isEqualTo(id.getDateClaim("auth_time"));
        JWTClaimsSet refreshedAccess = SignedJWT.parse(refreshed.string("access_token")).getJWTClaimsSet();
        assertThat(refreshedAccess.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void aUserWithoutTotpSignsInWithThePasswordLevel() throws Exception {
        AuthorizeQuery query = AuthorizeQuery.web("s3");
        UserAgent browser = server.userAgent();
        HttpResponse<String> response = browser.signInAndAllow(query.encoded(), ALICE, ALICE_PASSWORD);
        TokenClient.Response tokens = AuthorizeSteps.redeemWeb(server, query, codeFrom(WEB_REDIRECT, response));

        JWTClaimsSet id = AuthorizeSteps.idToken(tokens);
        assertThat(id.getStringClaim("acr")).isEqualTo(PWD);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
        JWTClaimsSet access = SignedJWT.parse(tokens.string("access_token")).getJWTClaimsSet();
        assertThat(access.getStringClaim("acr")).isEqualTo(PWD);
        assertThat(access.getStringListClaim("amr")).containsExactly("pwd");
    }

    @Test
    void aWrongCodeKeepsTheCodeStepWithAClearMessageAndTheRightOneThenWorks() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> codeStep = passwordStep(browser, AuthorizeQuery.web("s4"));

        HttpResponse<String> wrong = browser.submit(codeStep,
                Map.of("otp", TotpUsers.wrongCode(TINA_SECRET, server.clock().instant())));

        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("role=\"alert\"", "That code didn't work", "name=\"otp\"");
        assertThat(sessionCookie(wrong)).isNull();
        HttpResponse<String> right = browser.submit(wrong, Map.of("otp", TotpUsers.tinaCode(server)));
        assertThat(right.statusCode()).as(right.body()).isIn(200, 302, 303);
        assertThat(right.body()).doesNotContain("name=\"otp\"");
    }

    @Test
    void malformedCodesAreWrongCodesNeverErrors() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> codeStep = passwordStep(browser, AuthorizeQuery.web("s5"));

        for (String code : List.of("", "12345", "1234567", "abcdef", "１２３４５６", "' OR 1=1 --", "9".repeat(5000))) {
            HttpResponse<String> response = browser.submit(codeStep, Map.of("otp", code));
            assertThat(response.statusCode()).as(code).isIn(200, 429);
            assertThat(response.body()).as(code).contains("name=\"otp\"");
        }
    }

    @Test
    void aCodeWorksOnceTheSameCodeAgainIsRefusedAsAlreadyUsed() {
        String code = TotpUsers.tinaCode(server);
        UserAgent first = server.userAgent();
        HttpResponse<String> signedIn = first.submit(passwordStep(first, AuthorizeQuery.web("s6")), Map.of("otp", code));
        assertThat(signedIn.body()).doesNotContain("name=\"otp\"");

        UserAgent second = server.userAgent();
        HttpResponse<String> replay = second.submit(passwordStep(second, AuthorizeQuery.web("s7")), Map.of("otp", code));

        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("role=\"alert\"", "That code was already used", "name=\"otp\"");
        assertThat(sessionCookie(replay)).isNull();
        // The next step's code works.
        server.clock().advance(Duration.ofSeconds(30));
        HttpResponse<String> next = second.submit(replay, Map.of("otp", TotpUsers.tinaCode(server)));
        assertThat(next.body()).doesNotContain("name=\"otp\"");
    }

    @Test
    void parallelSubmitsOfOneCodeSignInOnce() throws Exception {
        String code = TotpUsers.tinaCode(server);
        int browsers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(browsers);
        try {
            List<Callable<Boolean>> attempts = new java.util.ArrayList<>();
            for (int i = 0; i < browsers; i++) {
                UserAgent browser = server.userAgent();
                HttpResponse<String> codeStep = passwordStep(browser, AuthorizeQuery.web("p" + i));
                attempts.add(() -> !browser.submit(codeStep, Map.of("otp", code)).body().contains("name=\"otp\""));
            }
            long signedIn = 0;
            for (Future<Boolean> result : pool.invokeAll(attempts)) {
                signedIn += result.get() ? 1 : 0;
            }
            assertThat(signedIn).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void guessingIsThrottledWithAWaitInWordsAndEvenTheRightCodeWaits() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = passwordStep(browser, AuthorizeQuery.web("s8"));
        String wrong = TotpUsers.wrongCode(TINA_SECRET, server.clock().instant());
        for (int i = 0; i < 5; i++) {
            page = browser.submit(page, Map.of("otp", wrong));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("That code didn't work");
        }
        HttpResponse<String> right = browser.submit(page, Map.of("otp", TotpUsers.tinaCode(server)));

        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Retry-After")).isPresent();
        assertThat(right.body()).contains("Too many wrong codes", "Try again in", "name=\"otp\"");
        assertThat(sessionCookie(right)).isNull();

        // After the wait, the right code works again, and success clears the count.
        server.clock().advance(Duration.ofSeconds(Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow())));
        HttpResponse<String> later = browser.submit(right, Map.of("otp", TotpUsers.tinaCode(server)));
        assertThat(later.body()).doesNotContain("name=\"otp\"");
    }

    @Test
    void aForgedTicketOrOneForAnotherRequestStartsOverAtThePassword() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> codeStep = passwordStep(browser, AuthorizeQuery.web("s9"));
        String ticket = HtmlForms.hiddenInputs(codeStep.body()).get("ticket");
        String forgedTicket = ticket.substring(0, ticket.length() - 2) + (ticket.endsWith("AA") ? "BB" : "AA");

        HttpResponse<String> forged = browser.submit(codeStep, Map.of("otp", TotpUsers.tinaCode(server), "ticket", forgedTicket));
        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body()).contains("name=\"password\"", "Please sign in again").doesNotContain("name=\"otp\"");

        HttpResponse<String> otherRequest = passwordStep(browser, AuthorizeQuery.web("other"));
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(otherRequest.body()));
        form.put("ticket", ticket);
        form.put("otp", TotpUsers.tinaCode(server));
        HttpResponse<String> transplanted = browser.postForm("/login", form);
        assertThat(transplanted.body()).contains("name=\"password\"").doesNotContain("name=\"otp\"");
        assertThat(sessionCookie(transplanted)).isNull();
    }

    @Test
    void aTicketExpiresAfterFiveMinutes() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> codeStep = passwordStep(browser, AuthorizeQuery.web("s10"));

        server.clock().advance(Duration.ofMinutes(5).plusSeconds(1));
        HttpResponse<String> late = browser.submit(codeStep, Map.of("otp", TotpUsers.tinaCode(server)));

        assertThat(late.body()).contains("name=\"password\"", "took too long").doesNotContain("name=\"otp\"");
    }

    @Test
    void thePasswordAloneStartsNoSession() {
        UserAgent browser = server.userAgent();
        passwordStep(browser, AuthorizeQuery.web("s11"));

        HttpResponse<String> silent = browser.get("/authorize?" + AuthorizeQuery.web("s12").with("prompt", "none").encoded());

        assertThat(redirectTo(WEB_REDIRECT, silent)).containsEntry("error", "login_required");
    }

    @Test
    void aWrongPasswordNeverReachesTheCodeStep() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> login = browser.get("/authorize?" + AuthorizeQuery.web("s13").encoded());

        HttpResponse<String> wrong = browser.submit(login, Map.of("username", TINA, "password", "not tina's password"));

        assertThat(wrong.body()).contains("name=\"password\"").doesNotContain("name=\"otp\"", "name=\"ticket\"");
    }

    @Test
    void theSecretFromTheFileIsStoredSealedNeverInTheClear() {
        List<String> rows = server.storeSnapshot().rows("totp_secrets");
        String secretBytesBase64 = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(dev.tessera.server.application.mfa.Base32.decode(TINA_SECRET));

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).doesNotContain(TINA_SECRET).doesNotContain(TINA_SECRET.toLowerCase())
                .doesNotContain(secretBytesBase64).contains("v1.");
    }

    @Test
    void aSecretSealedUnderAnotherKeyGivesAClearPageNotAServerError() {
        var secrets = server.app().stores().totpSecrets();
        String tinaId = dev.tessera.server.config.UserConfig.defaultId(TINA);
        String original = secrets.find(tinaId).orElseThrow();
        byte[] otherKey = new byte[32];
        otherKey[0] = 7;
        secrets.save(tinaId, new dev.tessera.server.infrastructure.crypto.AesGcmSecretCipher(() -> otherKey)
                .seal(dev.tessera.server.application.mfa.Base32.decode(TINA_SECRET), tinaId), server.clock().instant());
        try {
            UserAgent browser = server.userAgent();
            HttpResponse<String> response = browser.submit(passwordStep(browser, AuthorizeQuery.web("s15")),
                    Map.of("otp", TotpUsers.tinaCode(server)));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("Your second factor cannot be checked right now", "Request ID")
                    .doesNotContain("Exception");
            assertThat(sessionCookie(response)).isNull();
        } finally {
            secrets.save(tinaId, original, server.clock().instant());
        }
    }

    @Test
    void codesAndSecretsNeverReachTheLogs() {
        try (LogCapture audit = LogCapture.of("tessera.audit"); LogCapture logs = LogCapture.of("dev.tessera")) {
            String code = TotpUsers.tinaCode(server);
            UserAgent browser = server.userAgent();
            HttpResponse<String> codeStep = passwordStep(browser, AuthorizeQuery.web("s14"));
            browser.submit(codeStep, Map.of("otp", TotpUsers.wrongCode(TINA_SECRET, server.clock().instant())));
            browser.submit(codeStep, Map.of("otp", code));

            assertThat(audit.allText()).contains("totp_failure", "totp_success");
            for (String text : List.of(audit.allText(), logs.allText())) {
                assertThat(text).doesNotContain(code).doesNotContain(TINA_SECRET).doesNotContain(TINA_PASSWORD);
            }
        }
    }

    static HttpResponse<String> passwordStep(UserAgent browser, AuthorizeQuery query) {
        HttpResponse<String> login = browser.get("/authorize?" + query.encoded());
        assertThat(login.body()).contains("name=\"password\"");
        HttpResponse<String> codeStep = browser.submit(login, Map.of("username", TINA, "password", TINA_PASSWORD));
        assertThat(codeStep.body()).as("the code step").contains("name=\"otp\"");
        return codeStep;
    }

    /** Allows consent when asked; returns the code of the final redirect. */
    static String allow(UserAgent browser, HttpResponse<String> response, AuthorizeQuery query) {
        if (response.statusCode() == 200 && response.body().contains("name=\"decision\"")) {
            response = browser.submit(response, Map.of("decision", "allow"));
        }
        return codeFrom(query.redirectUri(), response);
    }

    static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("tessera_session") && !c.contains("Max-Age=0")).findFirst().orElse(null);
    }
}
