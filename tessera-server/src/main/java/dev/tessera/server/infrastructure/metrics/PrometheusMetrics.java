package dev.tessera.server.infrastructure.metrics;

import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.infrastructure.audit.DropCountingAsyncAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Micrometer meters scraped in the Prometheus text format at /metrics. Every meter a request touches is resolved
 * once and kept ({@link Children}, {@link StatusTimers}), so recording on the request path is a few lock-free map
 * reads and atomic adds. Gauges that cost something to read (keys, pool, JVM) are computed at scrape time only.
 */
public final class PrometheusMetrics implements Metrics {
    /** Latency buckets: from a cached JWKS answer (sub-millisecond) to an RSA-4096 sign-in under load (seconds). */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Consumer<MeterRegistry>> beforeScrape = new CopyOnWriteArrayList<>();

    private final Children<Children<StatusTimers>> requests = new Children<>(method -> new Children<>(route ->
            new StatusTimers(status -> Timer.builder("tessera.http.requests")
                    .description("HTTP requests by method, route pattern and status")
                    .tags("method", method, "route", route, "status", Integer.toString(status))
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry))));
    private final Children.Two<Timer> tokenRequests = Children.two((grant, outcome) ->
            Timer.builder("tessera.token.requests")
                    .description("Time /token took to decide and mint, by grant type and outcome (issued, error, server_error)")
                    .tags("grant_type", grant, "outcome", outcome)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
    private final Children.Two<Counter> tokensIssued = Children.two((grant, type) ->
            Counter.builder("tessera.tokens.issued")
                    .description("Tokens issued by grant type and token type (access_token, id_token, refresh_token, id-jag)")
                    .tags("grant_type", grant, "token_type", type).register(registry));
    private final Children.Two<Counter> tokenErrors = Children.two((grant, error) ->
            Counter.builder("tessera.token.errors").description("Token endpoint errors by grant type and error code")
                    .tags("grant_type", grant, "error", error).register(registry));
    private final Children.Two<Counter> oauthErrors = Children.two((route, error) ->
            Counter.builder("tessera.oauth.errors")
                    .description("OAuth error codes answered, by route pattern (JSON, Bearer challenge or error redirect)")
                    .tags("route", route, "error", error).register(registry));
    private final Children<Counter> logins = new Children<>(result ->
            Counter.builder("tessera.logins").description("Sign-in steps by result")
                    .tag("result", result).register(registry));
    private final Children<Counter> clientAuthenticationFailures = new Children<>(reason ->
            Counter.builder("tessera.client.authentication.failures")
                    .description("Failed client authentications at /token, /introspect and /revoke, by reason")
                    .tag("reason", reason).register(registry));
    private final Children.Two<Counter> crossAppDecisions = Children.two((grant, result) ->
            Counter.builder("tessera.cross.app.decisions")
                    .description("Token-exchange and jwt-bearer decisions by grant and result")
                    .tags("grant", grant, "result", result).register(registry));
    private final Children<Counter> idJagPolicyRejections = new Children<>(reason ->
            Counter.builder("tessera.id.jag.policy.rejections")
                    .description("ID-JAG requests refused by the idJag policy, by reason")
                    .tag("reason", reason).register(registry));
    private final Children<Counter> scopeModifications = new Children<>(grant ->
            Counter.builder("tessera.cross.app.scope.modifications")
                    .description("Cross-app grants that issued fewer scopes than requested or asserted")
                    .tag("grant", grant).register(registry));
    private final Children<Counter> refreshReuse = new Children<>(via ->
            Counter.builder("tessera.refresh.reuse.detected")
                    .description("Retired refresh tokens presented again (the family was revoked), by the grant they came to")
                    .tag("via", via).register(registry));

    public PrometheusMetrics() {
        FunctionCounter.builder("tessera.audit.events.dropped", registry, r -> DropCountingAsyncAppender.dropped())
                .description("Audit events dropped because the audit log's queue was full")
                .register(registry);
        refreshReuse.get("refresh_token"); // present at 0 from the start, so an alert on any increase works at once
    }

    @Override
    public void tokenIssued(String grantType, String tokenType) {
        tokensIssued.get(grantType, tokenType).increment();
    }

    @Override
    public void tokenError(String grantType, String errorCode) {
        tokenErrors.get(grantType, errorCode).increment();
    }

    @Override
    public void tokenRequest(String grantType, String outcome, long durationNanos) {
        tokenRequests.get(grantType, outcome).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void login(String result) {
        logins.get(result).increment();
    }

    @Override
    public void clientAuthenticationFailure(String reason) {
        clientAuthenticationFailures.get(reason).increment();
    }

    @Override
    public void crossAppDecision(String grant, String result) {
        crossAppDecisions.get(grant, result).increment();
    }

    @Override
    public void idJagPolicyRejection(String reason) {
        idJagPolicyRejections.get(reason).increment();
    }

    @Override
    public void scopeModified(String grant) {
        scopeModifications.get(grant).increment();
    }

    @Override
    public void refreshReuseDetected(String via) {
        refreshReuse.get(via).increment();
    }

    @Override
    public void request(String method, String route, int status, long durationNanos) {
        requests.get(method).get(route).get(status).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void oauthError(String route, String errorCode) {
        oauthErrors.get(route, errorCode).increment();
    }

    /**
     * Runs {@code update} on the registry before every scrape, on the scraping thread: for gauges read from state
     * that changes on its own (key ring, pool) and for binders worth binding only once someone scrapes (JVM).
     */
    public void beforeScrape(Consumer<MeterRegistry> update) {
        beforeScrape.add(update);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public synchronized String scrape() {
        for (Consumer<MeterRegistry> update : beforeScrape) {
            update.accept(registry);
        }
        return registry.scrape();
    }
}
