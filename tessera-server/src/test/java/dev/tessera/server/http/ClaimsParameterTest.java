package dev.tessera.server.http;

import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/** The claims request parameter at /authorize (OIDC Core §5.5): what it refuses and what sub with a value means. */
class ClaimsParameterTest {
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[\"email\"]", "{\"userinfo\":[\"email\"]}",
            "{\"id_token\":{\"email\":\"please\"}}", "{\"id_token\":{\"email\":{\"essential\":\"yes\"}}}",
            "{\"userinfo\":{\"verified_claims\":{\"verification\":{\"trust_framework\":null}}}}"})
    void malformedClaimsAreInvalidRequestAtTheRedirectUriWithStateAndIss(String claims) {
        HttpResponse<String> response = server.userAgent().get("/authorize?"
                + AuthorizeQuery.web("bad-claims").with("claims", claims).encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "invalid_request")
                .containsEntry("state", "bad-claims").containsEntry("iss", server.issuer())
                .doesNotContainKey("code");
        assertThat(redirectTo(WEB_REDIRECT, response).get("error_description")).startsWith("the claims parameter");
    }

    @Test
    void malformedClaimsWithAnUnregisteredRedirectUriAreAnErrorPageNotARedirect() {
        HttpResponse<String> response = server.userAgent().get("/authorize?" + AuthorizeQuery.web("x")
                .with("redirect_uri", "https://evil.example.test/cb").with("claims", "{not json").encoded());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void subWithTheSignedInUsersValueGivesACode() {
        UserAgent browser = signedInAlice();

        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web("same-sub")
                .with("claims", subRequest(UserConfig.defaultId(ALICE))).encoded());

        codeFrom(WEB_REDIRECT, response);
    }

    @Test
    void subWithAnotherUsersValueAsksToSignInInsteadOfAnsweringForTheSignedInUser() {
        UserAgent browser = signedInAlice();

        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web("other-sub")
                .with("claims", subRequest("someone-else")).encoded());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("name=\"password\"");
    }

    @Test
    void subWithAnotherUsersValueAndPromptNoneIsLoginRequired() {
        UserAgent browser = signedInAlice();

        HttpResponse<String> response = browser.get("/authorize?" + AuthorizeQuery.web("silent-sub")
                .with("prompt", "none").with("claims", subRequest("someone-else")).encoded());

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "login_required")
                .containsEntry("state", "silent-sub").doesNotContainKey("code");
    }

    @Test
    void signingInAsAnotherUserThanTheRequestedSubIsAccessDenied() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> login = browser.get("/authorize?" + AuthorizeQuery.web("wrong-user")
                .with("claims", subRequest("someone-else")).encoded());

        HttpResponse<String> response = browser.submit(login, Map.of("username", ALICE, "password", ALICE_PASSWORD));

        assertThat(redirectTo(WEB_REDIRECT, response)).containsEntry("error", "access_denied")
                .containsEntry("state", "wrong-user").doesNotContainKey("code");
    }

    private static UserAgent signedInAlice() {
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.signInAndAllow(AuthorizeQuery.web("first").encoded(), ALICE, ALICE_PASSWORD));
        return browser;
    }

    private static String subRequest(String sub) {
        return "{\"id_token\":{\"sub\":{\"value\":\"" + sub + "\"}}}";
    }
}
