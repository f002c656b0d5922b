package dev.tessera.server.http;

import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.http.endpoint.HealthEndpoints;
import dev.tessera.server.testsupport.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener opens while the store and keys are still loading: until it gets its endpoints it is alive but not
 * ready, and every other route answers 503 temporarily_unavailable with Retry-After, never a 404 or a 500 that a
 * client or load balancer would take for an answer.
 */
class ListenerBeforeServingTest {
    private TesseraHttpServer http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    @Test
    void beforeItServesItIsAliveNotReadyAndAsksEveryoneToRetry() {
        http = new TesseraHttpServer("127.0.0.1", 0, new TesseraHttpServer.OptionalRoutes(false, true, false),
                new HealthEndpoints(), Metrics.NONE, false).start();

        RawHttp.Response liveness = get("/healthz");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"ok\"");

        RawHttp.Response readiness = get("/readyz");
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"status\":\"starting\"");
        assertThat(readiness.header("Cache-Control")).isEqualTo("no-store");

        for (String path : new String[] {"/.well-known/openid-configuration", "/.well-known/jwks.json", "/authorize",
                "/login", "/userinfo", "/metrics", "/logout"}) {
            RawHttp.Response response = get(path);
            assertThat(response.status()).as(path).isEqualTo(503);
            assertThat(response.header("Retry-After")).as(path).isEqualTo("1");
            assertThat(response.body()).as(path).contains("\"error\":\"temporarily_unavailable\"");
        }
        RawHttp.Response token = RawHttp.exchange(http.port(), ("POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\nConnection: close")
                .getBytes(StandardCharsets.US_ASCII), "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII));
        assertThat(token.status()).isEqualTo(503);
        assertThat(token.header("Cache-Control")).isEqualTo("no-store");
        assertThat(get("/static/tessera.css").status()).as("static files need nothing wired").isEqualTo(200);
        assertThat(get("/register").status()).as("a route the configuration leaves out").isEqualTo(404);
    }

    @Test
    void readinessFollowsTheChecksOnceTheProbesAreToldTheServerIsReady() {
        HealthEndpoints health = new HealthEndpoints();
        http = new TesseraHttpServer("127.0.0.1", 0, new TesseraHttpServer.OptionalRoutes(false, true, false),
                health, Metrics.NONE, false).start();
        AtomicBoolean storeUp = new AtomicBoolean(true);

        health.ready(storeUp::get, () -> true);
        RawHttp.Response ready = get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"ready\"").contains("\"store\":\"ok\"");

        health.ready(() -> false, () -> true); // a fresh check, not the cached answer of the first
        RawHttp.Response storeDown = get("/readyz");
        assertThat(storeDown.status()).isEqualTo(503);
        assertThat(storeDown.body()).contains("\"status\":\"not_ready\"").contains("\"store\":\"unreachable\"");

        health.startDraining();
        RawHttp.Response draining = get("/readyz");
        assertThat(draining.status()).isEqualTo(503);
        assertThat(draining.body()).contains("\"status\":\"shutting_down\"");
        assertThat(get("/healthz").status()).as("alive while it drains").isEqualTo(200);
    }

    @Test
    void aServerThatIsStillStartingSaysShuttingDownOnceItDrains() {
        HealthEndpoints health = new HealthEndpoints();
        http = new TesseraHttpServer("127.0.0.1", 0, new TesseraHttpServer.OptionalRoutes(false, true, false),
                health, Metrics.NONE, false).start();

        health.startDraining();

        RawHttp.Response readiness = get("/readyz");
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"status\":\"shutting_down\"");
    }

    @Test
    void endpointsThatDoNotMatchTheConfiguredRoutesAreRefused() {
        http = new TesseraHttpServer("127.0.0.1", 0, new TesseraHttpServer.OptionalRoutes(true, false, false),
                new HealthEndpoints(), Metrics.NONE, false);

        assertThatThrownBy(() -> http.serve(new TesseraHttpServer.Endpoints(null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private RawHttp.Response get(String path) {
        return RawHttp.exchange(http.port(), ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close")
                .getBytes(StandardCharsets.US_ASCII), new byte[0]);
    }
}
