package dev.tessera.server.http;

import dev.tessera.server.bootstrap.TesseraApp;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.MutableClock;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cookies and transport headers when the issuer is https (the TLS proxy in front is simulated: the server
 * itself answers plain HTTP on loopback). Cookies get the {@code __Host-} prefix, so no sibling subdomain or
 * plain-http page can set or shadow them (RFC 6265bis §4.1.3.2), and every response carries HSTS (RFC 6797).
 */
class SecureCookiesTest {
    static TesseraApp app;
    static URI base;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws IOException {
        int port = TesseraTestServer.reservePort();
        String issuer = "https://127.0.0.1:" + port;
        app = TesseraApp.start(TesseraTestServer.standard(issuer, Files.createTempDirectory("tessera-https-test"))
                .withHttp(new dev.tessera.server.config.HttpConfig("127.0.0.1", port)), MutableClock.startingNow());
        base = URI.create("http://127.0.0.1:" + port + "/");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void onAnHttpsIssuerTheSessionAndCsrfCookiesCarryTheHostPrefix() {
        HttpResponse<String> page = get("/authorize?" + AuthorizeQuery.web("host-prefix").encoded(), null);
        String csrf = setCookie(page, "__Host-tessera_csrf");
        assertHostOnlySecure(csrf);
        assertThat(page.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("tessera_csrf="));

        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
        form.put("username", ALICE);
        form.put("password", ALICE_PASSWORD);
        HttpResponse<String> signedIn = post("/login", form, cookiePair(csrf));

        String session = setCookie(signedIn, "__Host-tessera_session");
        assertHostOnlySecure(session);
        assertThat(session.toLowerCase(Locale.ROOT)).contains("samesite=lax");
    }

    @Test
    void onAnHttpsIssuerACookieWithoutThePrefixIsNotRead() {
        HttpResponse<String> page = get("/authorize?" + AuthorizeQuery.web("no-prefix").encoded(), null);
        String csrf = setCookie(page, "__Host-tessera_csrf");
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
        form.put("username", ALICE);
        form.put("password", ALICE_PASSWORD);

        // the same value under the unprefixed name, as a cookie planted from elsewhere would arrive
        HttpResponse<String> refused = post("/login", form, cookiePair(csrf).replace("__Host-", ""));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains("tessera_session"));
    }

    @Test
    void onAnHttpsIssuerEveryResponseCarriesHsts() {
        for (String path : List.of("/.well-known/openid-configuration", "/authorize?"
                + AuthorizeQuery.web("hsts").encoded(), "/healthz", "/no-such-page")) {
            assertThat(get(path, null).headers().firstValue("Strict-Transport-Security")).as(path)
                    .hasValue("max-age=31536000");
        }
    }

    @Test
    void onAnHttpIssuerThereIsNoHstsAndNoPrefix() {
        try (TesseraTestServer plain = TesseraTestServer.start()) {
            UserAgent browser = plain.userAgent();
            HttpResponse<String> page = browser.get("/authorize?" + AuthorizeQuery.web("plain").encoded());

            assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
            assertThat(page.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("tessera_csrf="));
        }
    }

    private static void assertHostOnlySecure(String setCookie) {
        List<String> attributes = List.of(setCookie.toLowerCase(Locale.ROOT).split(";\\s*"));
        assertThat(attributes).contains("secure", "path=/", "httponly");
        assertThat(attributes).noneMatch(a -> a.startsWith("domain="));
    }

    private static String cookiePair(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String setCookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
    }

    private static HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request.build());
    }

    private static HttpResponse<String> post(String path, Map<String, String> form, String cookie) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(UserAgent.encode(form))).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
