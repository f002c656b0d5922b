package dev.tessera.server.http;

import dev.tessera.server.bootstrap.DevMode;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dev-mode callback page (issue 9): the demo app's redirect URI shows the code with a button that redeems it
 * server-side (CSRF-checked) and then the decoded tokens next to the curl commands; a used or bad code is a clear
 * message on the page. Only {@code serve --dev} has it.
 */
class DevCallbackPageTest {
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.startDev();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static DevMode dev() {
        return server.dev();
    }

    private static String callback() {
        return DevMode.callback(server.issuer());
    }

    /** Signs the demo user in through the URL dev mode prints and returns the page the browser lands on. */
    private static HttpResponse<String> landOnTheCallback(UserAgent browser, String state) {
        String query = "response_type=code&client_id=" + DevMode.DEMO_CLIENT
                + "&redirect_uri=" + URLEncoder.encode(callback(), StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("openid profile email offline_access", StandardCharsets.UTF_8)
                + "&state=" + state + "&nonce=n-" + state
                + "&code_challenge=" + s256(dev().codeVerifier()) + "&code_challenge_method=S256";
        HttpResponse<String> redirect = browser.signInAndAllow(query, DevMode.DEMO_USER, dev().userPassword());
        String location = redirect.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no redirect: " + redirect.body()));
        assertThat(location).startsWith(callback() + "?");
        return browser.get(location);
    }

    @Test
    void theCallbackShowsTheCodeAButtonAndTheCurlCommand() {
        UserAgent browser = server.userAgent();

        HttpResponse<String> page = landOnTheCallback(browser, "st-1");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(HtmlForms.unescape(page.body())).contains("The demo app received a code", "st-1", "Redeem the code")
                .contains("curl -s -u 'demo-app:" + dev().clientSecret() + "' " + server.issuer() + "/token")
                .contains("-d code_verifier=" + dev().codeVerifier());
        Map<String, String> hidden = HtmlForms.hiddenInputs(page.body());
        assertThat(hidden).containsKeys("csrf", "code");
        assertThat(HtmlForms.formAction(page.body())).isEqualTo("/dev/callback");
    }

    @Test
    void theButtonRedeemsTheCodeAndShowsTheDecodedTokens() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = landOnTheCallback(browser, "st-2");

        HttpResponse<String> redeemed = browser.submit(page, Map.of());

        assertThat(redeemed.statusCode()).isEqualTo(200);
        String body = HtmlForms.unescape(redeemed.body());
        assertThat(body).contains("Tessera issued these tokens", "Access token", "ID token", "Refresh token");
        // header and claims of both JWTs, pretty-printed
        assertThat(body).contains("\"typ\" : \"at+jwt\"", "\"client_id\" : \"demo-app\"",
                "\"iss\" : \"" + server.issuer() + "\"", "\"nonce\" : \"n-st-2\"", "\"aud\" : \"demo-app\"",
                "\"email\" : \"demo@example.com\"", "\"amr\" : [ \"pwd\" ]");
        // the lifetime in words, for both tokens (15 minutes by default)
        assertThat(count(body, "expires in 15\u00A0minutes")).isEqualTo(2);
        // next to the commands that use them
        String accessToken = rawToken(body, "Access token");
        assertThat(body).contains("curl -s -H 'Authorization: Bearer " + accessToken + "'")
                .contains(server.issuer() + "/userinfo")
                .contains("-d grant_type=refresh_token")
                .contains("-d grant_type=authorization_code");
        // and the tokens are real: userinfo answers the access token
        var userinfo = server.tokenClient().get("/userinfo", "Bearer " + accessToken);
        assertThat(userinfo.status()).isEqualTo(200);
        assertThat(userinfo.string("email")).isEqualTo("demo@example.com");
    }

    @Test
    void aReplayedCodeShowsTheErrorOnThePage() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = landOnTheCallback(browser, "st-3");
        assertThat(browser.submit(page, Map.of()).statusCode()).isEqualTo(200);

        HttpResponse<String> replayed = browser.submit(page, Map.of());

        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(HtmlForms.unescape(replayed.body())).contains("The code could not be redeemed", "invalid_grant",
                "the authorization code was already used; tokens issued with it have been revoked",
                "each code works once and only for 60 seconds");
        assertThat(replayed.body()).containsPattern("role=\"alert\"").doesNotContain("Exception");
    }

    @Test
    void anExpiredCodeShowsTheErrorOnThePage() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = landOnTheCallback(browser, "st-4");
        server.clock().advance(java.time.Duration.ofSeconds(61));

        HttpResponse<String> expired = browser.submit(page, Map.of());

        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(HtmlForms.unescape(expired.body())).contains("the authorization code has expired");
    }

    @Test
    void redeemingNeedsThePagesCsrfToken() {
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = landOnTheCallback(browser, "st-5");
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
        form.put("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        HttpResponse<String> refused = browser.postForm("/dev/callback", form);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("This page expired");
        // the code was not spent: the page's own button still works
        assertThat(browser.submit(page, Map.of()).body()).contains("Tessera issued these tokens");
    }

    @Test
    void anErrorResponseAndAMissingCodeAreExplainedAndEscaped() {
        UserAgent browser = server.userAgent();

        HttpResponse<String> denied = browser.get("/dev/callback?error=access_denied"
                + "&error_description=" + URLEncoder.encode("<script>alert(1)</script> the user said no",
                StandardCharsets.UTF_8) + "&state=s");
        HttpResponse<String> empty = browser.get("/dev/callback");
        HttpResponse<String> forged = browser.get("/dev/callback?code=" + URLEncoder.encode("x'; rm -rf ~ #",
                StandardCharsets.UTF_8));

        assertThat(denied.statusCode()).isEqualTo(200);
        assertThat(denied.body()).contains("access_denied", "the user said no").doesNotContain("<script>");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("No authorization code arrived");
        // a crafted code is quoted in the command, so pasting it runs nothing else
        assertThat(HtmlForms.unescape(forged.body())).contains("--data-urlencode code='x'\\''; rm -rf ~ #'");
    }

    @Test
    void malformedRedeemRequestsAreClearPagesNeverServerErrors() {
        UserAgent browser = server.userAgent();
        landOnTheCallback(browser, "st-6");
        String cookie = "tessera_csrf=" + browser.cookie("tessera_csrf");
        for (byte[] body : java.util.List.of("code=%zz&csrf=%".getBytes(StandardCharsets.US_ASCII),
                new byte[] {'c', 'o', 'd', 'e', '=', (byte) 0xff, (byte) 0xfe, '+'}, "code=a&code=b".getBytes(
                StandardCharsets.US_ASCII), new byte[0])) {
            for (String contentType : java.util.List.of("application/x-www-form-urlencoded", "application/json")) {
                String head = "POST /dev/callback HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: " + cookie
                        + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length;
                var response = dev.tessera.server.testsupport.RawHttp.exchange(server.port(),
                        head.getBytes(StandardCharsets.US_ASCII), body);
                assertThat(response.status()).as(new String(body, StandardCharsets.ISO_8859_1)).isBetween(400, 499);
                assertThat(response.body()).doesNotContain("Exception");
            }
        }
        for (String query : java.util.List.of("code=%zz", "code=a&code=b", "error=%", "code=" + "x".repeat(6000))) {
            String head = "GET /dev/callback?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close";
            var response = dev.tessera.server.testsupport.RawHttp.exchange(server.port(),
                    head.getBytes(StandardCharsets.US_ASCII), new byte[0]);
            assertThat(response.status()).as(query).isBetween(200, 499);
            assertThat(response.body()).doesNotContain("Exception");
        }
    }

    @Test
    void withoutDevModeThereIsNoCallbackPage() {
        try (TesseraTestServer production = TesseraTestServer.start()) {
            assertThat(production.userAgent().get("/dev/callback?code=abc").statusCode()).isEqualTo(404);
            assertThat(production.userAgent().postForm("/dev/callback", Map.of("code", "abc")).statusCode())
                    .isEqualTo(404);
        }
    }

    private static String rawToken(String body, String name) {
        Matcher section = Pattern.compile(">" + Pattern.quote(name) + "</h2>.*?<pre class=\"code-block code-wrap\"><code>"
                + "([^<]+)</code>", Pattern.DOTALL).matcher(body);
        assertThat(section.find()).as("the raw %s", name).isTrue();
        return section.group(1);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
