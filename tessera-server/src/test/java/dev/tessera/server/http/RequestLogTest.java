package dev.tessera.server.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.TotpUsers;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static dev.tessera.server.testsupport.TotpUsers.TINA;
import static dev.tessera.server.testsupport.TotpUsers.TINA_PASSWORD;
import static dev.tessera.server.testsupport.TotpUsers.TINA_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the logs say about a whole day's traffic (SPEC §10): every line written while a request is handled carries
 * that request's id (the one the client got in X-Request-Id), and no line holds a password, a TOTP code or secret,
 * a client secret, an authorization code or verifier, a token or a session cookie. Tessera's own loggers and the
 * audit trail are captured at every level, debug included.
 */
class RequestLogTest {
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(TotpUsers::withTina);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noLineOfAFullDayOfFlowsHoldsASecretCodeTokenPasswordOrOtp() throws Exception {
        server.clock().advance(Duration.ofMinutes(16)); // a fresh TOTP step and forgotten throttles
        Day day;
        try (LogCapture logs = LogCapture.everything("dev.tessera", "tessera.audit")) {
            day = aDayOfTraffic();
            String text = logs.allText();

            assertThat(logs.events()).as("the flows were logged at all").isNotEmpty();
            assertThat(text).contains("login_success", "token_issued", "refresh_reuse_detected", "login_failure",
                    "client_authentication_failed");
            for (Map.Entry<String, String> secret : day.secrets.entrySet()) {
                assertThat(Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(secret.getValue()) + "(?![A-Za-z0-9_-])")
                        .matcher(text).find()).as("the %s appears in the logs", secret.getKey()).isFalse();
            }
        }
    }

    @Test
    void everyLineLoggedWhileHandlingARequestCarriesThatRequestsId() throws Exception {
        server.clock().advance(Duration.ofMinutes(16));
        List<ILoggingEvent> events;
        Day day;
        String testThread = Thread.currentThread().getName();
        try (LogCapture logs = LogCapture.everything("dev.tessera", "tessera.audit")) {
            day = aDayOfTraffic();
            events = logs.events();
        }

        // Request handling is synchronous on the HTTP server's threads; the test's own thread and Tessera's
        // background threads (key reloads, purges) handle no request.
        List<ILoggingEvent> onRequestThreads = events.stream()
                .filter(e -> !e.getThreadName().equals(testThread) && !e.getThreadName().startsWith("tessera-"))
                .toList();
        assertThat(onRequestThreads).as("lines written while handling requests").hasSizeGreaterThan(10);
        for (ILoggingEvent event : onRequestThreads) {
            assertThat(event.getMDCPropertyMap().get("request_id"))
                    .as("request id of [%s] %s", event.getLoggerName(), event.getFormattedMessage())
                    .isIn(day.requestIds);
        }
        // And it is the id of the very request that caused the line, not a neighbour's.
        ILoggingEvent clientCredentialsAudit = onRequestThreads.stream()
                .filter(e -> e.getLoggerName().equals("tessera.audit") && e.getFormattedMessage().startsWith("token_issued")
                        && e.getFormattedMessage().contains("client_credentials"))
                .findFirst().orElseThrow();
        assertThat(clientCredentialsAudit.getMDCPropertyMap()).containsEntry("request_id", day.clientCredentialsRequestId);
        ILoggingEvent badSecret = onRequestThreads.stream()
                .filter(e -> e.getFormattedMessage().contains("client_authentication_failed")
                        || e.getLoggerName().endsWith("ClientAuthenticator"))
                .findFirst().orElseThrow();
        assertThat(badSecret.getMDCPropertyMap()).containsEntry("request_id", day.wrongSecretRequestId);
    }

    /** The secrets a day of traffic handled, by name, and the request ids the server answered with. */
    private static final class Day {
        final Map<String, String> secrets = new LinkedHashMap<>();
        final Set<String> requestIds = new HashSet<>();
        String clientCredentialsRequestId;
        String wrongSecretRequestId;

        TokenClient.Response seen(TokenClient.Response response) {
            requestIds.add(response.header("X-Request-Id"));
            return response;
        }

        HttpResponse<String> seen(HttpResponse<String> response) {
            requestIds.add(response.headers().firstValue("X-Request-Id").orElseThrow());
            return response;
        }

        void tokens(String label, TokenClient.Response response) {
            assertThat(response.status()).as(label + ": " + response.body()).isEqualTo(200);
            for (String member : List.of("access_token", "id_token", "refresh_token")) {
                String token = response.string(member);
                if (token != null) {
                    secrets.put(label + " " + member, token);
                    // A JWT cut to its payload or signature would leak as much as the whole.
                    String[] parts = token.split("\\.");
                    if (parts.length == 3) {
                        secrets.put(label + " " + member + " payload", parts[1]);
                        secrets.put(label + " " + member + " signature", parts[2]);
                    }
                }
            }
        }
    }

    private static Day aDayOfTraffic() throws Exception {
        Day day = new Day();
        TokenClient tokens = server.tokenClient();
        day.secrets.put("password", ALICE_PASSWORD);
        day.secrets.put("second user's password", TINA_PASSWORD);
        day.secrets.put("TOTP secret", TINA_SECRET);
        day.secrets.put("client secret", WEB_SECRET);
        day.secrets.put("service secret", SERVICE_SECRET);

        // Alice signs in (one wrong password first), consents, and the app redeems the code.
        AuthorizeQuery query = AuthorizeQuery.web("log-1").with("scope", "openid profile email offline_access");
        UserAgent browser = server.userAgent();
        HttpResponse<String> login = day.seen(browser.get("/authorize?" + query.encoded()));
        String wrongPassword = "not alice's password " + System.nanoTime();
        day.secrets.put("wrong password", wrongPassword);
        login = day.seen(browser.submit(login, Map.of("username", ALICE, "password", wrongPassword)));
        day.seen(browser.submit(login, Map.of("username", "nobody-" + System.nanoTime(), "password", wrongPassword)));
        HttpResponse<String> consent = day.seen(browser.submit(login, Map.of("username", ALICE, "password", ALICE_PASSWORD)));
        for (String cookie : consent.headers().allValues("Set-Cookie")) {
            String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';'));
            if (value.length() >= 16) {
                day.secrets.put("cookie " + cookie.substring(0, cookie.indexOf('=')), value);
            }
        }
        String code = codeFrom(query.redirectUri(), allow(day, browser, consent));
        day.secrets.put("authorization code", code);
        day.secrets.put("PKCE verifier", query.pkce().verifier());
        TokenClient.Response first = day.seen(AuthorizeSteps.redeemWeb(server, query, code));
        day.tokens("code grant", first);
        // The code again: refused, and the grant revoked.
        day.seen(AuthorizeSteps.redeemWeb(server, query, code));

        // Refresh, then the old refresh token again (reuse detected, family revoked).
        AuthorizeQuery second = AuthorizeQuery.web("log-2").with("scope", "openid offline_access");
        String code2 = codeFrom(second.redirectUri(), day.seen(browser.signInAndAllow(second.encoded(), ALICE, ALICE_PASSWORD)));
        day.secrets.put("second authorization code", code2);
        day.secrets.put("second PKCE verifier", second.pkce().verifier());
        TokenClient.Response issued = day.seen(AuthorizeSteps.redeemWeb(server, second, code2));
        day.tokens("second code grant", issued);
        TokenClient.Response refreshed = day.seen(tokens.token(WEB, WEB_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", issued.string("refresh_token"))));
        day.tokens("refresh", refreshed);
        day.seen(server.tokenClient().get("/userinfo", "Bearer " + refreshed.string("access_token")));
        day.seen(tokens.post("/introspect", TokenClient.basic(WEB, WEB_SECRET),
                "token=" + refreshed.string("access_token")));
        day.seen(tokens.token(WEB, WEB_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", issued.string("refresh_token"))));
        day.seen(tokens.post("/revoke", TokenClient.basic(WEB, WEB_SECRET),
                "token=" + refreshed.string("refresh_token") + "&token_type_hint=refresh_token"));
        day.seen(server.tokenClient().get("/userinfo", "Bearer " + refreshed.string("access_token")));

        // A service: one good client_credentials call, one with a wrong secret.
        TokenClient.Response service = day.seen(tokens.token(SERVICE, SERVICE_SECRET,
                Map.of("grant_type", "client_credentials")));
        day.tokens("client_credentials", service);
        day.clientCredentialsRequestId = service.header("X-Request-Id");
        String wrongSecret = "wrong-secret-" + System.nanoTime();
        day.secrets.put("wrong client secret", wrongSecret);
        TokenClient.Response refused = day.seen(tokens.token(SERVICE, wrongSecret, Map.of("grant_type", "client_credentials")));
        assertThat(refused.status()).isEqualTo(401);
        day.wrongSecretRequestId = refused.header("X-Request-Id");

        // Tina: password, a wrong code, then the right one.
        AuthorizeQuery tina = AuthorizeQuery.web("log-3").with("scope", "openid");
        UserAgent tinasBrowser = server.userAgent();
        HttpResponse<String> tinaLogin = day.seen(tinasBrowser.get("/authorize?" + tina.encoded()));
        HttpResponse<String> codeStep = day.seen(tinasBrowser.submit(tinaLogin,
                Map.of("username", TINA, "password", TINA_PASSWORD)));
        String wrongOtp = TotpUsers.wrongCode(TINA_SECRET, server.clock().instant());
        String otp = TotpUsers.tinaCode(server);
        day.secrets.put("TOTP code", otp);
        day.secrets.put("wrong TOTP code", wrongOtp);
        codeStep = day.seen(tinasBrowser.submit(codeStep, Map.of("otp", wrongOtp)));
        HttpResponse<String> afterCode = day.seen(tinasBrowser.submit(codeStep, Map.of("otp", otp)));
        String tinasCode = codeFrom(tina.redirectUri(), allow(day, tinasBrowser, afterCode));
        day.secrets.put("third authorization code", tinasCode);
        day.tokens("mfa code grant", day.seen(AuthorizeSteps.redeemWeb(server, tina, tinasCode)));

        // And a few requests that fail: an unknown grant, no client, a bad token at userinfo.
        day.seen(tokens.token(WEB, WEB_SECRET, Map.of("grant_type", "password", "username", ALICE,
                "password", ALICE_PASSWORD)));
        day.seen(tokens.post("/token", null, "grant_type=client_credentials"));
        day.seen(server.tokenClient().get("/userinfo", "Bearer not-a-token-" + System.nanoTime()));
        day.requestIds.remove(null);
        return day;
    }

    // The consent page the first time; later days remember the consent and redirect at once.
    private static HttpResponse<String> allow(Day day, UserAgent browser, HttpResponse<String> response) {
        if (response.statusCode() == 200 && response.body().contains("name=\"decision\"")) {
            return day.seen(browser.submit(response, Map.of("decision", "allow")));
        }
        return response;
    }
}
