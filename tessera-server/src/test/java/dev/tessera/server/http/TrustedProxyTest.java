package dev.tessera.server.http;

import dev.tessera.server.application.port.RateLimitStore.Backoff;
import dev.tessera.server.testsupport.HtmlForms;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in throttling behind a reverse proxy (SPEC §10, http.trustedProxies): the per-address limit keys on the
 * forwarded client when, and only when, the TCP peer is a trusted proxy. The tests connect from 127.0.0.1, so
 * one server trusts that address and the other does not; a client address is put into a long wait directly
 * in the store, and a sign-in then shows whose address was counted.
 */
class TrustedProxyTest {
    /** One attempt, then an hour's wait: whoever is keyed on the address afterwards is throttled. */
    private static final Backoff BLOCKING = new Backoff(1, Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));

    static TesseraTestServer behindProxy;
    static TesseraTestServer direct;

    @BeforeAll
    static void start() {
        behindProxy = TesseraTestServer.start(config -> config.withHttp(config.http()
                .withTrustedProxies(List.of("127.0.0.1", "::1"))));
        direct = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        behindProxy.close();
        direct.close();
    }

    private static void block(TesseraTestServer server, String addressKey) {
        server.app().stores().rateLimits().attempt("login:addr:" + addressKey, BLOCKING, server.clock().instant());
    }

    @Test
    void loginLimitKeysOnTheForwardedClientBehindATrustedProxy() {
        block(behindProxy, "203.0.113.7");

        assertThat(wrongPassword(behindProxy, Map.of("X-Forwarded-For", "203.0.113.7")).statusCode()).isEqualTo(429);
        assertThat(wrongPassword(behindProxy, Map.of("Forwarded", "for=203.0.113.7;proto=https")).statusCode())
                .isEqualTo(429);
        // everyone else behind the same proxy still signs in
        assertThat(wrongPassword(behindProxy, Map.of("X-Forwarded-For", "198.51.100.9")).statusCode()).isEqualTo(200);
        assertThat(wrongPassword(behindProxy, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void aForgedEntryLeftOfTheProxysOwnIsNotTheKey() {
        block(behindProxy, "192.0.2.99");

        // the client claims to be 192.0.2.99; the proxy appended the address it really came from
        assertThat(wrongPassword(behindProxy, Map.of("X-Forwarded-For", "192.0.2.99, 198.51.100.23")).statusCode())
                .isEqualTo(200);
        assertThat(wrongPassword(behindProxy, Map.of("X-Forwarded-For", "198.51.100.23, 192.0.2.99")).statusCode())
                .isEqualTo(429);
    }

    @Test
    void ipv6ClientsBehindTheProxyAreKeyedByTheirSlash64() {
        block(behindProxy, "2001:db8:aa:bb:0:0:0:0/64");

        assertThat(wrongPassword(behindProxy, Map.of("X-Forwarded-For", "2001:db8:aa:bb::1")).statusCode()).isEqualTo(429);
        assertThat(wrongPassword(behindProxy, Map.of("X-Forwarded-For", "2001:db8:aa:bb:1234::9")).statusCode())
                .isEqualTo(429);
        assertThat(wrongPassword(behindProxy, Map.of("X-Forwarded-For", "2001:db8:aa:bc::1")).statusCode()).isEqualTo(200);
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        block(direct, "203.0.113.8");

        // the header cannot pin the throttle on someone else's address ...
        assertThat(wrongPassword(direct, Map.of("X-Forwarded-For", "203.0.113.8")).statusCode()).isEqualTo(200);
        assertThat(wrongPassword(direct, Map.of("Forwarded", "for=203.0.113.8")).statusCode()).isEqualTo(200);
        // ... nor escape the throttle on one's own
        block(direct, "127.0.0.1");
        assertThat(wrongPassword(direct, Map.of("X-Forwarded-For", "198.51.100.77")).statusCode()).isEqualTo(429);
    }

    /** Opens the sign-in page and posts a wrong password, with the headers a proxy would add. */
    private static HttpResponse<String> wrongPassword(TesseraTestServer server, Map<String, String> headers) {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri().resolve("/authorize?"
                    + AuthorizeQuery.web("proxy").encoded())).GET().build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
            // a new name each time, so only the address limit can apply
            form.put("username", "someone-" + java.util.UUID.randomUUID());
            form.put("password", "not the password");
            HttpRequest.Builder post = HttpRequest.newBuilder(server.uri().resolve("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(UserAgent.encode(form)));
            headers.forEach(post::header);
            return http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
