package dev.tessera.server.http;

import dev.tessera.server.config.SessionsConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a browser session lasts (SPEC §2 sessions): it ends after {@code idleTimeout} without use, each
 * use slides that window, and {@code maxLifetime} after the sign-in it ends however busy it is (OWASP ASVS
 * 3.3.1/3.3.2).
 */
class SessionLifetimeTest {
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> config.withSessions(
                new SessionsConfig(Duration.ofMinutes(30), Duration.ofHours(2))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static UserAgent signedIn() {
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.signInAndAllow(AuthorizeQuery.web("sign-in").encoded(), ALICE, ALICE_PASSWORD));
        return browser;
    }

    private static Map<String, String> silently(UserAgent browser) {
        HttpResponse<String> response = browser.get("/authorize?"
                + AuthorizeQuery.web("silent").with("prompt", "none").encoded());
        return redirectTo(WEB_REDIRECT, response);
    }

    @Test
    void aSessionUnusedForTheIdleTimeoutEnds() {
        UserAgent browser = signedIn();

        server.clock().advance(Duration.ofMinutes(30));

        assertThat(silently(browser)).containsEntry("error", "login_required");
    }

    @Test
    void usingTheSessionKeepsItAlivePastTheIdleTimeout() {
        UserAgent browser = signedIn();

        for (int i = 0; i < 4; i++) {
            server.clock().advance(Duration.ofMinutes(20));
            assertThat(silently(browser)).as("after %d minutes", 20 * (i + 1)).containsKey("code");
        }
    }

    @Test
    void aSessionEndsAtItsMaxLifetimeHoweverOftenItIsUsed() {
        UserAgent browser = signedIn();
        for (int i = 0; i < 5; i++) {
            server.clock().advance(Duration.ofMinutes(20));
            assertThat(silently(browser)).containsKey("code");
        }

        server.clock().advance(Duration.ofMinutes(20)); // two hours after the sign-in

        assertThat(silently(browser)).containsEntry("error", "login_required");
    }

    @Test
    void theSessionCookieLivesNoLongerThanTheMaxLifetime() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = browser.get("/authorize?" + AuthorizeQuery.web("cookie").encoded());
        HttpResponse<String> response = browser.submit(page, Map.of("username", ALICE, "password", ALICE_PASSWORD));

        assertThat(response.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("tessera_session="))
                .singleElement().asString().containsIgnoringCase("Max-Age=7200");
    }
}
