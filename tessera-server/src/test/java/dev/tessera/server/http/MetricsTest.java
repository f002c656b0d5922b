package dev.tessera.server.http;

import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
                .containsPattern("tessera_http_requests_seconds_count\\{method=\"POST\",route=\"/token\",status=\"200\"}")
                .containsPattern("tessera_http_requests_seconds_count\\{method=\"POST\",route=\"/token\",status=\"401\"}")
                .doesNotContain("xxxxxxxxxxxxxxxxxxxx")
                .doesNotContain(TesseraTestServer.SERVICE_SECRET)
                .doesNotContain("wrong-secret");
    }
}
