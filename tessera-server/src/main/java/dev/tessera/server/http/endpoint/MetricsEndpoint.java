package dev.tessera.server.http.endpoint;

import io.javalin.http.Context;

import java.util.function.Supplier;

/** GET /metrics in the Prometheus text format. */
public final class MetricsEndpoint {
    private final Supplier<String> scrape;

    public MetricsEndpoint(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    public void handle(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        ctx.result(scrape.get());
    }
}
