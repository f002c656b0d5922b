package dev.tessera.server.http;

import dev.tessera.server.config.MetricsConfig;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.MetricsScrape;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.TotpUsers;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /metrics in the Prometheus text format (SPEC §10): each family is there and moves after the action that should move
 * it. Labels are bounded sets our code names (route patterns, grant and token types, error codes, results).
 */
class MetricsTest {
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
    void countsRequestsTokensErrorsAndLoginsWithoutSecrets() {
        server.tokenClient().token(TesseraTestServer.SERVICE, TesseraTestServer.SERVICE_SECRET,
                Map.of("grant_type", "client_credentials"));
        server.tokenClient().token(TesseraTestServer.SERVICE, "wrong-secret", Map.of("grant_type", "client_credentials"));
        Flows.aliceAtWeb(server);
        server.tokenClient().get("/no-such-page/" + "x".repeat(20), null);

        TokenClient.Response metrics = server.tokenClient().get("/metrics", null);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("tessera_tokens_issued_total{grant_type=\"client_credentials\",token_type=\"access_token\"}")
                .contains("tessera_tokens_issued_total{grant_type=\"authorization_code\",token_type=\"id_token\"}")
                .contains("tessera_token_errors_total{error=\"invalid_client\"")
                .contains("tessera_logins_total{result=\"success\"}")
                .containsPattern("(?m)^tessera_audit_events_dropped_total [0-9.]+$")
                .containsPattern("tessera_http_requests_seconds_count\\{method=\"POST\",route=\"/token\",status=\"200\"}")
                .containsPattern("tessera_http_requests_seconds_count\\{method=\"POST\",route=\"/token\",status=\"401\"}")
                .doesNotContain("xxxxxxxxxxxxxxxxxxxx")
                .doesNotContain(TesseraTestServer.SERVICE_SECRET)
                .doesNotContain("wrong-secret");
    }

    @Test
    void withAMetricsPortMetricsIsServedOnlyOnThatListener() throws Exception {
        int metricsPort = TesseraTestServer.reservePort();
        try (TesseraTestServer own = TesseraTestServer.start(config ->
                config.withMetrics(new MetricsConfig("127.0.0.1", metricsPort)))) {
            own.tokenClient().token(TesseraTestServer.SERVICE, TesseraTestServer.SERVICE_SECRET,
                    Map.of("grant_type", "client_credentials"));

            assertThat(own.tokenClient().get("/metrics", null).status()).isEqualTo(404);

            HttpResponse<String> metrics = get(metricsPort, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body()).contains("tessera_tokens_issued_total{grant_type=\"client_credentials\",token_type=\"access_token\"}");
            // Only /metrics: the OAuth endpoints are not reachable through the metrics port.
            assertThat(get(metricsPort, "/.well-known/openid-configuration").statusCode()).isEqualTo(404);
            assertThat(get(metricsPort, "/healthz").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void tokensAreCountedByGrantAndTypeAndTimedByGrantAndRoute() {
        MetricsScrape before = MetricsScrape.of(server.tokenClient());
        server.tokenClient().token(TesseraTestServer.SERVICE, TesseraTestServer.SERVICE_SECRET,
                Map.of("grant_type", "client_credentials"));
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        server.tokenClient().token(TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token")));
        MetricsScrape after = MetricsScrape.of(server.tokenClient());

        for (String series : List.of(
                "tessera_tokens_issued_total{grant_type=\"client_credentials\",token_type=\"access_token\"}",
                "tessera_tokens_issued_total{grant_type=\"authorization_code\",token_type=\"access_token\"}",
                "tessera_tokens_issued_total{grant_type=\"authorization_code\",token_type=\"id_token\"}",
                "tessera_tokens_issued_total{grant_type=\"authorization_code\",token_type=\"refresh_token\"}",
                "tessera_tokens_issued_total{grant_type=\"refresh_token\",token_type=\"refresh_token\"}",
                "tessera_token_requests_seconds_count{grant_type=\"client_credentials\",outcome=\"issued\"}",
                "tessera_token_requests_seconds_count{grant_type=\"refresh_token\",outcome=\"issued\"}",
                "tessera_token_requests_seconds_bucket{grant_type=\"client_credentials\",outcome=\"issued\",le=\"+Inf\"}",
                "tessera_http_requests_seconds_bucket{method=\"POST\",route=\"/token\",status=\"200\",le=\"+Inf\"}",
                "tessera_http_requests_seconds_bucket{method=\"GET\",route=\"/authorize\",status=\"200\",le=\"+Inf\"}")) {
            assertThat(after.value(series) - before.value(series)).as(series).isGreaterThanOrEqualTo(1);
        }
        // A client_credentials response carries no ID or refresh token.
        assertThat(after.has("tessera_tokens_issued_total{grant_type=\"client_credentials\",token_type=\"id_token\"}")).isFalse();
        // Histogram buckets, not only a count: the fastest bucket is a fraction of the slowest.
        assertThat(after.text()).contains(
                "tessera_http_requests_seconds_bucket{method=\"POST\",route=\"/token\",status=\"200\",le=\"0.001\"}",
                "tessera_http_requests_seconds_bucket{method=\"POST\",route=\"/token\",status=\"200\",le=\"10.0\"}");
    }

    @Test
    void oauthErrorsAreCountedByCodeAtEveryEndpoint() {
        MetricsScrape before = MetricsScrape.of(server.tokenClient());
        server.tokenClient().token(TesseraTestServer.SERVICE, "wrong-secret", Map.of("grant_type", "client_credentials"));
        server.tokenClient().token(TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET, Map.of("grant_type", "password"));
        server.tokenClient().get("/userinfo", "Bearer not-a-token");
        server.tokenClient().get("/userinfo", null);
        server.tokenClient().post("/introspect", null, "token=x");
        server.tokenClient().post("/revoke", TokenClient.basic(TesseraTestServer.WEB, "wrong"), "token=x");
        HttpResponse<String> redirect = server.userAgent().get("/authorize?" + AuthorizeQuery.web("m1").with("prompt", "none").encoded());
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).contains("error=login_required");
        MetricsScrape after = MetricsScrape.of(server.tokenClient());

        for (String series : List.of(
                "tessera_oauth_errors_total{error=\"invalid_client\",route=\"/token\"}",
                "tessera_oauth_errors_total{error=\"unsupported_grant_type\",route=\"/token\"}",
                "tessera_oauth_errors_total{error=\"invalid_token\",route=\"/userinfo\"}",
                "tessera_oauth_errors_total{error=\"invalid_client\",route=\"/introspect\"}",
                "tessera_oauth_errors_total{error=\"invalid_client\",route=\"/revoke\"}",
                "tessera_oauth_errors_total{error=\"login_required\",route=\"/authorize\"}",
                "tessera_token_errors_total{error=\"invalid_client\",grant_type=\"client_credentials\"}",
                "tessera_token_requests_seconds_count{grant_type=\"client_credentials\",outcome=\"error\"}")) {
            assertThat(after.value(series) - before.value(series)).as(series).isGreaterThanOrEqualTo(1);
        }
        assertThat(after.value("tessera_oauth_errors_total{error=\"invalid_token\",route=\"/userinfo\"}")
                - before.value("tessera_oauth_errors_total{error=\"invalid_token\",route=\"/userinfo\"}")).isEqualTo(2);
    }

    @Test
    void signInStepsAreCountedByResult() {
        MetricsScrape before = MetricsScrape.of(server.tokenClient());
        UserAgent browser = server.userAgent();
        HttpResponse<String> login = browser.get("/authorize?" + AuthorizeQuery.web("m2").encoded());
        browser.submit(login, Map.of("username", TesseraTestServer.ALICE, "password", "not her password"));
        browser.submit(login, Map.of("username", "nobody-at-all", "password", "whatever it is"));
        browser.submit(login, Map.of("username", TesseraTestServer.ALICE, "password", TesseraTestServer.ALICE_PASSWORD));
        // Bob tries too often: the per-user throttle answers before any password is checked.
        for (int i = 0; i < 7; i++) {
            browser.submit(login, Map.of("username", TesseraTestServer.BOB, "password", "guess " + i));
        }
        UserAgent tinasBrowser = server.userAgent();
        HttpResponse<String> tinaLogin = tinasBrowser.get("/authorize?" + AuthorizeQuery.web("m3").encoded());
        HttpResponse<String> codeStep = tinasBrowser.submit(tinaLogin,
                Map.of("username", TotpUsers.TINA, "password", TotpUsers.TINA_PASSWORD));
        tinasBrowser.submit(codeStep, Map.of("otp", TotpUsers.wrongCode(TotpUsers.TINA_SECRET, server.clock().instant())));
        MetricsScrape after = MetricsScrape.of(server.tokenClient());

        for (String result : List.of("bad_password", "unknown_user", "success", "throttled", "otp_failure")) {
            String series = "tessera_logins_total{result=\"" + result + "\"}";
            assertThat(after.value(series) - before.value(series)).as(series).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aReusedRefreshTokenIsCounted() {
        String series = "tessera_refresh_reuse_detected_total{via=\"refresh_token\"}";
        MetricsScrape before = MetricsScrape.of(server.tokenClient());
        assertThat(before.has(series)).as("present at zero before any reuse").isTrue();
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token"));
        assertThat(server.tokenClient().token(TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET, refresh).status()).isEqualTo(200);
        assertThat(server.tokenClient().token(TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET, refresh).error())
                .isEqualTo("invalid_grant");

        assertThat(MetricsScrape.of(server.tokenClient()).value(series) - before.value(series)).isEqualTo(1);
    }

    @Test
    void keyAgesPoolUsageAndJvmBasicsAreReadAtScrapeTime() {
        MetricsScrape before = MetricsScrape.of(server.tokenClient());
        server.clock().advance(Duration.ofHours(1));
        System.gc();
        MetricsScrape after = MetricsScrape.of(server.tokenClient());

        // Keys: every published key by kid and alg; the age follows the server's clock.
        String rs256 = "alg=\"RS256\"";
        assertThat(after.first("tessera_signing_key_age_seconds", rs256)).isPositive();
        assertThat(after.first("tessera_signing_key_age_seconds", rs256) - before.first("tessera_signing_key_age_seconds", rs256))
                .isBetween(3600.0, 3700.0);
        assertThat(after.text()).containsPattern("tessera_signing_key_age_seconds\\{alg=\"ES256\",kid=\"[^\"]+\"}");
        assertThat(after.text()).as("no next rotation without keys.rotation")
                .doesNotContain("tessera_signing_key_next_rotation_timestamp_seconds{");
        // Pool: HikariCP's own metric names.
        assertThat(after.first("hikaricp_connections_max", "pool=")).isEqualTo(10);
        assertThat(after.first("hikaricp_connections", "pool=")).isBetween(1.0, 10.0);
        assertThat(after.first("hikaricp_connections_active", "pool=")).isBetween(0.0, 10.0);
        assertThat(after.first("hikaricp_connections_idle", "pool=")).isBetween(0.0, 10.0);
        assertThat(after.first("hikaricp_connections_pending", "pool=")).isGreaterThanOrEqualTo(0);
        // JVM and process.
        assertThat(sum(after, "jvm_memory_used_bytes{area=\"heap\"")).isPositive();
        assertThat(sum(after, "jvm_memory_used_bytes{area=\"nonheap\"")).isPositive();
        assertThat(after.value("jvm_threads_live_threads")).isPositive();
        assertThat(after.value("process_files_open_files")).isPositive();
        assertThat(after.value("process_resident_memory_bytes")).isGreaterThan(16 * 1024 * 1024);
        assertThat(after.value("process_uptime_seconds")).isGreaterThan(before.value("process_uptime_seconds"));
        assertThat(sum(after, "jvm_gc_collections_total")).as("System.gc() was counted").isGreaterThan(sum(before, "jvm_gc_collections_total"));
        assertThat(after.text()).contains("jvm_gc_collection_time_seconds_total{gc=");
    }

    // The sum of every series whose text starts with {@code prefix} (a family name, or a name and first labels).
    private static double sum(MetricsScrape scrape, String prefix) {
        String start = prefix.contains("{") ? prefix : prefix + "{";
        return scrape.text().lines().filter(line -> line.startsWith(start))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
