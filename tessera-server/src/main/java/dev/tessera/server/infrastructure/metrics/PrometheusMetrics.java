package dev.tessera.server.infrastructure.metrics;

import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.infrastructure.audit.DropCountingAsyncAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.TimeUnit;

/** Micrometer counters scraped in the Prometheus text format at /metrics. */
public final class PrometheusMetrics implements Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public PrometheusMetrics() {
        FunctionCounter.builder("tessera.audit.events.dropped", registry, r -> DropCountingAsyncAppender.dropped())
                .description("Audit events dropped because the audit log's queue was full (logback.xml)")
                .register(registry);
    }

    @Override
    public void tokenIssued(String grantType) {
        Counter.builder("tessera_tokens_issued").description("Token responses by grant type")
                .tag("grant_type", grantType).register(registry).increment();
    }

    @Override
    public void tokenError(String grantType, String errorCode) {
        Counter.builder("tessera_token_errors").description("Token endpoint errors by grant type and error code")
                .tag("grant_type", grantType).tag("error", errorCode).register(registry).increment();
    }

    @Override
    public void login(String result) {
        Counter.builder("tessera_logins").description("Sign-in attempts by result")
                .tag("result", result).register(registry).increment();
    }

    @Override
    public void clientAuthenticationFailure(String reason) {
        Counter.builder("tessera_client_authentication_failures")
                .description("Failed client authentications at /token, /introspect and /revoke, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    @Override
    public void crossAppDecision(String grant, String result) {
        Counter.builder("tessera_cross_app_decisions").description("Token-exchange and jwt-bearer decisions by grant and result")
                .tag("grant", grant).tag("result", result).register(registry).increment();
    }

    @Override
    public void idJagPolicyRejection(String reason) {
        Counter.builder("tessera_id_jag_policy_rejections").description("ID-JAG requests refused by the idJag policy, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    @Override
    public void scopeModified(String grant) {
        Counter.builder("tessera_cross_app_scope_modifications")
                .description("Cross-app grants that issued fewer scopes than requested or asserted")
                .tag("grant", grant).register(registry).increment();
    }

    @Override
    public void request(String method, String route, int status, long durationNanos) {
        Timer.builder("tessera_http_requests").description("HTTP requests by route and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram(false)
                .register(registry).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
