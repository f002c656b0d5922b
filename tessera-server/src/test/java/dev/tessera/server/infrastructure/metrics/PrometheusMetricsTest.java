package dev.tessera.server.infrastructure.metrics;

import dev.tessera.server.testsupport.MetricsScrape;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Recording on the request path: after the first use of a label set, no meter lookup allocates. */
class PrometheusMetricsTest {

    @Test
    void recordingARequestATokenAndALoginAllocatesNothingOnceTheChildrenExist() {
        PrometheusMetrics metrics = new PrometheusMetrics();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // The labels as the server passes them: constants and route patterns, the same String each time.
        String method = "POST";
        String route = "/token";
        String grant = "client_credentials";
        for (int i = 0; i < 20_000; i++) { // makes the children and lets the JIT settle
            recordOneTokenRequest(metrics, method, route, grant, i);
        }

        int calls = 100_000;
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < calls; i++) {
            recordOneTokenRequest(metrics, method, route, grant, i);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // A builder, tag list and registry lookup per event (what this replaced) costs hundreds of bytes each time.
        assertThat((double) allocated / calls).as("bytes allocated per recorded request").isLessThan(8.0);
        MetricsScrape scrape = new MetricsScrape(metrics.scrape());
        assertThat(scrape.value("tessera_http_requests_seconds_count{method=\"POST\",route=\"/token\",status=\"200\"}"))
                .isEqualTo(120_000);
        assertThat(scrape.value("tessera_tokens_issued_total{grant_type=\"client_credentials\",token_type=\"access_token\"}"))
                .isEqualTo(120_000);
    }

    private static void recordOneTokenRequest(PrometheusMetrics metrics, String method, String route, String grant, int i) {
        metrics.tokenIssued(grant, "access_token");
        metrics.tokenRequest(grant, "issued", 1_000_000 + i);
        metrics.request(method, route, 200, 2_000_000 + i);
        metrics.login("success");
    }
}
