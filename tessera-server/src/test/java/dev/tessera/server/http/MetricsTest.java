package dev.tessera.server.http;

import dev.tessera.server.config.MetricsConfig;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /metrics in the Prometheus text format: requests by route and status, tokens by grant, logins by result. */
class MetricsTest {
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
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
                .contains("tessera_tokens_issued_total{grant_type=\"client_credentials\"}")
                .contains("tessera_tokens_issued_total{grant_type=\"authorization_code\"}")
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
            assertThat(metrics.body()).contains("tessera_tokens_issued_total{grant_type=\"client_credentials\"}");
            // Only /metrics: the OAuth endpoints are not reachable through the metrics port.
            assertThat(get(metricsPort, "/.well-known/openid-configuration").statusCode()).isEqualTo(404);
            assertThat(get(metricsPort, "/healthz").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
