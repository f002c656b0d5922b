package dev.tessera.server.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.OTHER;
import static dev.tessera.server.testsupport.TesseraTestServer.OTHER_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** Failed client authentication at /token, /introspect and /revoke: logged, counted, and throttled per client. */
class ClientAuthenticationFailureTest {
    private static final String WRONG_SECRET = "not-the-secret-3f1c9a";

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenClient.Response clientCredentials(TesseraTestServer at, String secret) {
        return at.tokenClient().token(SERVICE, secret, Map.of("grant_type", "client_credentials"));
    }

    @Test
    void aFailedClientAuthenticationIsLoggedWithClientIdReasonAndRequestIdButNeverTheSecret() {
        TokenClient.Response response;
        List<ILoggingEvent> events;
        String everything;
        try (LogCapture audit = LogCapture.of("tessera.audit"); LogCapture all = LogCapture.of("dev.tessera")) {
            response = server.tokenClient().post("/introspect", TokenClient.basic(OTHER, WRONG_SECRET), "token=x");
            events = audit.events().stream()
                    .filter(e -> e.getFormattedMessage().startsWith("client_authentication_failed")).toList();
            everything = audit.allText() + all.allText();
        }

        assertOAuthError(response, 401, "invalid_client");
        assertThat(events).hasSize(1);
        ILoggingEvent event = events.get(0);
        assertThat(event.getFormattedMessage()).contains("client_id=" + OTHER).contains("reason=wrong_secret");
        assertThat(event.getMDCPropertyMap()).containsEntry("request_id", response.header("X-Request-Id"));
        assertThat(everything).doesNotContain(WRONG_SECRET).doesNotContain(OTHER_SECRET);
    }

    @Test
    void failedClientAuthenticationsAreCountedInMetricsByReason() {
        server.tokenClient().post("/revoke", TokenClient.basic(OTHER, WRONG_SECRET), "token=x");
        server.tokenClient().post("/revoke", TokenClient.basic("no-such-client", WRONG_SECRET), "token=x");

        String metrics = server.tokenClient().get("/metrics", null).body();

        assertThat(metrics).contains("tessera_client_authentication_failures_total{reason=\"wrong_secret\"}")
                .contains("tessera_client_authentication_failures_total{reason=\"unknown_client\"}")
                .doesNotContain("no-such-client").doesNotContain(WRONG_SECRET);
    }

    @Test
    void repeatedWrongSecretsThrottleTheClientUntilTheWindowHasPassed() {
        try (TesseraTestServer own = TesseraTestServer.start()) {
            for (int i = 0; i < 20; i++) {
                assertOAuthError(clientCredentials(own, WRONG_SECRET), 401, "invalid_client");
            }

            TokenClient.Response throttled = clientCredentials(own, SERVICE_SECRET);
            own.clock().advance(Duration.ofMinutes(6));
            TokenClient.Response later = clientCredentials(own, SERVICE_SECRET);

            assertOAuthError(throttled, 401, "invalid_client");
            assertThat(later.status()).as(later.body()).isEqualTo(200);
            assertThat(own.tokenClient().get("/metrics", null).body())
                    .contains("tessera_client_authentication_failures_total{reason=\"throttled\"}");
        }
    }

    @Test
    void theThrottleHoldsAcrossInstancesSharingOneStore() throws Exception {
        Path store = Files.createTempDirectory("tessera-shared-store").resolve("tessera");
        try (TesseraTestServer first = TesseraTestServer.start(c -> c.withStorage(StorageConfig.h2(store)));
             TesseraTestServer second = TesseraTestServer.start(c -> c.withStorage(StorageConfig.h2(store)))) {
            for (int i = 0; i < 20; i++) {
                clientCredentials(i % 2 == 0 ? first : second, WRONG_SECRET);
            }

            assertOAuthError(clientCredentials(first, SERVICE_SECRET), 401, "invalid_client");
            assertOAuthError(clientCredentials(second, SERVICE_SECRET), 401, "invalid_client");
        }
    }

    @Test
    void anotherClientIsNotThrottledByItsNeighboursFailures() {
        try (TesseraTestServer own = TesseraTestServer.start()) {
            for (int i = 0; i < 25; i++) {
                clientCredentials(own, WRONG_SECRET);
            }

            TokenClient.Response web = own.tokenClient().post("/introspect", TokenClient.basic(WEB, WEB_SECRET), "token=x");

            assertThat(web.status()).isEqualTo(200);
        }
    }

    @Test
    void concurrentWrongSecretsAreEachCounted() throws Exception {
        try (TesseraTestServer own = TesseraTestServer.start()) {
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(10);
            List<java.util.concurrent.Future<TokenClient.Response>> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                burst.add(threads.submit(() -> clientCredentials(own, WRONG_SECRET)));
            }
            for (java.util.concurrent.Future<TokenClient.Response> response : burst) {
                assertThat(response.get().status()).isEqualTo(401);
            }
            threads.shutdown();

            assertOAuthError(clientCredentials(own, SERVICE_SECRET), 401, "invalid_client");
        }
    }
}
