package dev.tessera.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.mfa.Base32;
import dev.tessera.server.application.mfa.TotpSecrets;
import dev.tessera.server.config.UserConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static dev.tessera.server.testsupport.TotpUsers.TINA;
import static dev.tessera.server.testsupport.TotpUsers.TINA_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step-up (SPEC §5, OIDC Core §3.1.2.1 and §5.5.1.1): acr_values or an essential acr claim asking for the
 * second-factor level makes a password-only session give its TOTP code; without a second factor an essential
 * acr fails with unmet_authentication_requirements while acr_values only reports the level reached;
 * prompt=none answers interaction_required; max_age and prompt=login still ask for the sign-in again.
 */
class StepUpTest {
    static final String PWD = "urn:tessera:acr:pwd";
    static final String MFA = "urn:tessera:acr:mfa";
    static final String UMA = "uma";
    static final String UMA_PASSWORD = "uma signs in with a password first";
    static final String ESSENTIAL_MFA = "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"" + MFA + "\"]}}}";

    static TesseraTestServer server;
    String umaSecret;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<UserConfig> users = new ArrayList<>(TotpUsers.withTina(config).users());
            users.add(UserConfig.builder(UMA).password(UMA_PASSWORD).build());
            return config.withUsers(users);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshStepAndNoSecretForUma() {
        server.clock().advance(Duration.ofMinutes(16));
        secrets().remove(UserConfig.defaultId(UMA), "test");
        umaSecret = null;
    }

    @Test
    void acrValuesAskingForMfaMakeAPasswordSessionGiveTheCode() throws Exception {
        UserAgent browser = server.userAgent();
        JWTClaimsSet before = signIn(browser, UMA, UMA_PASSWORD, AuthorizeQuery.web("a"));
        assertThat(before.getStringClaim("acr")).isEqualTo(PWD);
        enrolUma();
        server.clock().advance(Duration.ofSeconds(40));

        AuthorizeQuery query = AuthorizeQuery.web("b").with("acr_values", MFA);
        HttpResponse<String> codeStep = browser.get("/authorize?" + query.encoded());

        assertThat(codeStep.statusCode()).isEqualTo(200);
        assertThat(codeStep.body()).contains("name=\"otp\"", "autocomplete=\"one-time-code\"")
                .doesNotContain("name=\"password\"");
        HttpResponse<String> done = browser.submit(codeStep, Map.of("otp", umaCode()));
        JWTClaimsSet after = AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query,
                TotpLoginTest.allow(browser, done, query)));
        assertThat(after.getStringClaim("acr")).isEqualTo(MFA);
        assertThat(after.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(after.getDateClaim("auth_time")).isAfter(before.getDateClaim("auth_time"));
        assertThat(after.getStringClaim("sid")).isNotEqualTo(before.getStringClaim("sid"));

        // The stronger session now serves a silent request for the same level.
        AuthorizeQuery silent = AuthorizeQuery.web("c").with("acr_values", MFA).with("prompt", "none");
        JWTClaimsSet again = AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, silent,
                codeFrom(WEB_REDIRECT, browser.get("/authorize?" + silent.encoded()))));
        assertThat(again.getStringClaim("acr")).isEqualTo(MFA);
    }

    @Test
    void withoutAcrValuesAPasswordSessionIsEnoughEvenOnceASecretIsEnrolled() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, UMA, UMA_PASSWORD, AuthorizeQuery.web("a"));
        enrolUma();

        AuthorizeQuery query = AuthorizeQuery.web("b").with("prompt", "none");
        JWTClaimsSet id = AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query,
                codeFrom(WEB_REDIRECT, browser.get("/authorize?" + query.encoded()))));

        assertThat(id.getStringClaim("acr")).isEqualTo(PWD);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
    }

    @Test
    void promptNoneWhenTheSecondFactorIsNeededIsInteractionRequired() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, UMA, UMA_PASSWORD, AuthorizeQuery.web("a"));
        enrolUma();

        HttpResponse<String> silent = browser.get("/authorize?"
                + AuthorizeQuery.web("b").with("acr_values", MFA).with("prompt", "none").encoded());

        Map<String, String> error = redirectTo(WEB_REDIRECT, silent);
        assertThat(error).containsEntry("error", "interaction_required").containsEntry("state", "b")
                .containsEntry("iss", server.issuer());
        assertThat(error.get("error_description")).contains("second factor");
    }

    @Test
    void anEssentialAcrClaimMakesThePasswordSessionGiveTheCode() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, UMA, UMA_PASSWORD, AuthorizeQuery.web("a"));
        enrolUma();
        server.clock().advance(Duration.ofSeconds(40));

        AuthorizeQuery query = AuthorizeQuery.web("b").with("claims", ESSENTIAL_MFA);
        HttpResponse<String> codeStep = browser.get("/authorize?" + query.encoded());
        assertThat(codeStep.body()).contains("name=\"otp\"");

        HttpResponse<String> done = browser.submit(codeStep, Map.of("otp", umaCode()));
        JWTClaimsSet id = AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query,
                TotpLoginTest.allow(browser, done, query)));
        assertThat(id.getStringClaim("acr")).isEqualTo(MFA);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void anEssentialAcrTheUserCannotReachIsUnmetAuthenticationRequirements() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, ALICE, ALICE_PASSWORD, AuthorizeQuery.web("a"));

        Map<String, String> error = redirectTo(WEB_REDIRECT,
                browser.get("/authorize?" + AuthorizeQuery.web("b").with("claims", ESSENTIAL_MFA).encoded()));

        assertThat(error).containsEntry("error", "unmet_authentication_requirements").containsEntry("state", "b")
                .doesNotContainKey("code");
        assertThat(error.get("error_description")).contains("second factor");
    }

    @Test
    void anEssentialAcrNamingOnlyUnknownLevelsIsUnmetEvenAfterMfa() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, TINA, TINA_PASSWORD, AuthorizeQuery.web("a"));

        Map<String, String> error = redirectTo(WEB_REDIRECT, browser.get("/authorize?" + AuthorizeQuery.web("b")
                .with("claims", "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"urn:example:loa:4\"]}}}")
                .encoded()));

        assertThat(error).containsEntry("error", "unmet_authentication_requirements");
        assertThat(error.get("error_description")).contains("acr_values_supported");
    }

    @Test
    void acrValuesTheUserCannotReachAreAWishTheTokensReportWhatWasReached() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, ALICE, ALICE_PASSWORD, AuthorizeQuery.web("a"));

        AuthorizeQuery query = AuthorizeQuery.web("b").with("acr_values", MFA + " " + PWD);
        JWTClaimsSet id = AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query,
                codeFrom(WEB_REDIRECT, browser.get("/authorize?" + query.encoded()))));

        assertThat(id.getStringClaim("acr")).isEqualTo(PWD);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
    }

    @Test
    void unknownAcrValuesChangeNothing() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, ALICE, ALICE_PASSWORD, AuthorizeQuery.web("a"));

        AuthorizeQuery query = AuthorizeQuery.web("b").with("acr_values", "urn:example:loa:4 0 \u00e9");
        String code = codeFrom(WEB_REDIRECT, browser.get("/authorize?" + query.encoded()));

        assertThat(AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query, code)).getStringClaim("acr"))
                .isEqualTo(PWD);
    }

    @Test
    void anEssentialPasswordLevelAfterMfaReportsTheRequestedValueAndTheTrueAmr() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, TINA, TINA_PASSWORD, AuthorizeQuery.web("a"));

        AuthorizeQuery query = AuthorizeQuery.web("b")
                .with("claims", "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"" + PWD + "\"]}}}");
        JWTClaimsSet id = AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query,
                codeFrom(WEB_REDIRECT, browser.get("/authorize?" + query.encoded()))));

        // OIDC Core §5.5.1.1: the acr is one of the requested values; amr still tells what happened.
        assertThat(id.getStringClaim("acr")).isEqualTo(PWD);
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void maxAgeAndPromptLoginAskAUserWithTotpForPasswordAndCodeAgain() throws Exception {
        UserAgent browser = server.userAgent();
        JWTClaimsSet first = signIn(browser, TINA, TINA_PASSWORD, AuthorizeQuery.web("a"));
        server.clock().advance(Duration.ofSeconds(45));

        for (AuthorizeQuery query : List.of(AuthorizeQuery.web("b").with("max_age", "10").with("acr_values", MFA),
                AuthorizeQuery.web("c").with("prompt", "login"))) {
            HttpResponse<String> login = browser.get("/authorize?" + query.encoded());
            assertThat(login.body()).as("a new sign-in starts with the password").contains("name=\"password\"");
            HttpResponse<String> codeStep = browser.submit(login, Map.of("username", TINA, "password", TINA_PASSWORD));
            assertThat(codeStep.body()).contains("name=\"otp\"");
            HttpResponse<String> done = browser.submit(codeStep, Map.of("otp", TotpUsers.tinaCode(server)));
            JWTClaimsSet id = AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query,
                    TotpLoginTest.allow(browser, done, query)));
            assertThat(id.getStringClaim("acr")).isEqualTo(MFA);
            assertThat(id.getDateClaim("auth_time")).isAfter(first.getDateClaim("auth_time"));
            server.clock().advance(Duration.ofSeconds(31));
        }
    }

    @Test
    void theAccessTokenOfAStepUpCarriesTheMfaLevelToo() throws Exception {
        UserAgent browser = server.userAgent();
        signIn(browser, UMA, UMA_PASSWORD, AuthorizeQuery.web("a"));
        enrolUma();
        server.clock().advance(Duration.ofSeconds(40));

        AuthorizeQuery query = AuthorizeQuery.web("b").with("acr_values", MFA);
        HttpResponse<String> done = browser.submit(browser.get("/authorize?" + query.encoded()), Map.of("otp", umaCode()));
        TokenClient.Response tokens = AuthorizeSteps.redeemWeb(server, query, TotpLoginTest.allow(browser, done, query));

        JWTClaimsSet access = SignedJWT.parse(tokens.string("access_token")).getJWTClaimsSet();
        assertThat(access.getStringClaim("acr")).isEqualTo(MFA);
        assertThat(access.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
    }

    /** Signs in through the pages (password, then the code for a user with TOTP) and returns the ID token. */
    static JWTClaimsSet signIn(UserAgent browser, String username, String password, AuthorizeQuery query) {
        HttpResponse<String> response = browser.get("/authorize?" + query.encoded());
        response = browser.submit(response, Map.of("username", username, "password", password));
        if (response.body().contains("name=\"otp\"")) {
            response = browser.submit(response, Map.of("otp", TotpUsers.tinaCode(server)));
        }
        return AuthorizeSteps.idToken(AuthorizeSteps.redeemWeb(server, query, TotpLoginTest.allow(browser, response, query)));
    }

    private static TotpSecrets secrets() {
        return server.app().totpSecrets();
    }

    private void enrolUma() {
        byte[] secret = TotpSecrets.newSecret();
        secrets().enrol(UserConfig.defaultId(UMA), secret, "test");
        umaSecret = Base32.encode(secret);
    }

    private String umaCode() {
        return TotpUsers.code(umaSecret, server.clock().instant());
    }
}
