package dev.tessera.server.http;

import dev.tessera.server.http.endpoint.MetricsEndpoint;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The separate listener for {@code GET /metrics} ({@code metrics.port}, SPEC §10): nothing else is served
 * here, and {@link TesseraHttpServer} then leaves /metrics out, so the scrape port can stay off the internet.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final Javalin app;

    public MetricsServer(String host, int port, MetricsEndpoint endpoint) {
        JettyMemoryHint.apply();
        this.app = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = 1024; // a scrape has no body
            config.startup.showJavalinBanner = false;
            config.routes.get("/metrics", endpoint::handle);
            config.routes.exception(Exception.class, (error, ctx) -> {
                LOG.error("GET /metrics failed", error);
                ctx.status(500).contentType("text/plain").result("metrics unavailable\n");
            });
        });
    }

    public MetricsServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
