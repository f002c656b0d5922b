package dev.tessera.server.http;

import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.StoreUnavailableException;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.endpoint.AccountTotpEndpoint;
import dev.tessera.server.http.endpoint.AuthorizeEndpoint;
import dev.tessera.server.http.endpoint.ConsentEndpoint;
import dev.tessera.server.http.endpoint.DevCallbackEndpoint;
import dev.tessera.server.http.endpoint.DiscoveryEndpoint;
import dev.tessera.server.http.endpoint.HealthEndpoints;
import dev.tessera.server.http.endpoint.IntrospectionEndpoint;
import dev.tessera.server.http.endpoint.RevocationEndpoint;
import dev.tessera.server.http.endpoint.JwksEndpoint;
import dev.tessera.server.http.endpoint.LoginEndpoint;
import dev.tessera.server.http.endpoint.LogoutEndpoint;
import dev.tessera.server.http.endpoint.MetricsEndpoint;
import dev.tessera.server.http.endpoint.RegisterEndpoint;
import dev.tessera.server.http.endpoint.StaticAssetsEndpoint;
import dev.tessera.server.http.endpoint.TokenEndpoint;
import dev.tessera.server.http.endpoint.UserInfoEndpoint;
import dev.tessera.server.http.support.AnsweredErrors;
import dev.tessera.server.http.support.OAuthErrorResponses;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.RequestIds;
import dev.tessera.server.http.support.SecurityHeaders;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinException;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The HTTP face of Tessera: the whole route table on one screen, in SPEC §3 order, and the error
 * mapping that guarantees no stack trace ever reaches a client.
 */
public final class TesseraHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TesseraHttpServer.class);
    static final long MAX_BODY_BYTES = 64 * 1024;
    private static final String STARTED = "tessera.started";
    // Where a person's browser is the client: a store outage there is shown as a page, elsewhere as JSON.
    private static final Set<String> PAGE_PATHS = Set.of("/authorize", "/login", "/consent", "/register",
            "/account/totp", "/logout", "/dev/callback");
    // A database restart takes seconds; the pool reconnects within about five once it is back.
    static final long STORE_RETRY_AFTER_SECONDS = 5;
    private static final long UNAVAILABLE_LOG_INTERVAL_NANOS = 5_000_000_000L;
    private static volatile long lastUnavailableLogged = System.nanoTime() - UNAVAILABLE_LOG_INTERVAL_NANOS - 1;

    /**
     * Every endpoint the server serves, built by the composition root; {@code register} (registration.enabled),
     * {@code metrics} (on this listener) and {@code devCallback} (serve --dev) are null when not served.
     */
    public record Endpoints(DiscoveryEndpoint discovery, JwksEndpoint jwks, AuthorizeEndpoint authorize,
                            LoginEndpoint login, ConsentEndpoint consent, AccountTotpEndpoint accountTotp,
                            RegisterEndpoint register, TokenEndpoint token,
                            UserInfoEndpoint userInfo, IntrospectionEndpoint introspection,
                            RevocationEndpoint revocation, LogoutEndpoint logout, MetricsEndpoint metrics, Pages pages,
                            DevCallbackEndpoint devCallback) {
    }

    /**
     * Which of the optional routes exist. The configuration decides them, so the listener can open while the store
     * and keys are still loading, before the endpoints exist ({@link #serve}).
     */
    public record OptionalRoutes(boolean register, boolean metrics, boolean devCallback) {
        boolean match(Endpoints e) {
            return register == (e.register() != null) && metrics == (e.metrics() != null)
                    && devCallback == (e.devCallback() != null);
        }
    }

    private final Javalin app;
    private final OptionalRoutes optional;
    private volatile Endpoints endpoints; // null while the server is starting

    /**
     * Opens nothing yet ({@link #start}); until {@link #serve} hands over the endpoints, every route but the probes
     * and static files answers 503 temporarily_unavailable with Retry-After.
     *
     * @param health      the probes, served from the start: they say themselves whether the server is ready
     * @param httpsIssuer whether the issuer is https, so every response carries HSTS
     */
    public TesseraHttpServer(String host, int port, OptionalRoutes optional, HealthEndpoints health, Metrics metrics,
                             boolean httpsIssuer) {
        this.optional = optional;
        JettyMemoryHint.apply();
        StaticAssetsEndpoint staticAssets = StaticAssetsEndpoint.fromClassPath();
        this.app = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showJavalinBanner = false;
            // Counts requests in flight so a stop with a grace period waits for them, and answers 503 to any request
            // that arrives on an open connection once the stop has begun.
            config.jetty.modifyServer(server -> server.insertHandler(new GracefulHandler()));
            config.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                RequestIds.assign(ctx);
                SecurityHeaders.applyToAll(ctx);
                if (httpsIssuer) {
                    SecurityHeaders.applyStrictTransport(ctx);
                }
            });
            config.routes.after(ctx -> {
                try {
                    Long started = ctx.attribute(STARTED);
                    String route = routeOf(ctx);
                    if (started != null) {
                        metrics.request(ctx.method().name(), route, ctx.statusCode(), System.nanoTime() - started);
                    }
                    String error = AnsweredErrors.of(ctx);
                    if (error != null) {
                        metrics.oauthError(route, error);
                    }
                } finally {
                    RequestIds.clear();
                }
            });

            config.routes.get("/.well-known/openid-configuration", served(e -> e.discovery()::handle));
            config.routes.get("/.well-known/oauth-authorization-server", served(e -> e.discovery()::handle));
            config.routes.get("/.well-known/jwks.json", served(e -> e.jwks()::handle));
            // Javalin answers HEAD on a GET route with a bare 200 unless HEAD has a route of its own.
            config.routes.head("/.well-known/openid-configuration", served(e -> e.discovery()::handle));
            config.routes.head("/.well-known/oauth-authorization-server", served(e -> e.discovery()::handle));
            config.routes.head("/.well-known/jwks.json", served(e -> e.jwks()::handle));
            config.routes.get("/static/{name}", staticAssets::handle);
            config.routes.head("/static/{name}", staticAssets::handle);
            config.routes.get("/authorize", served(e -> e.authorize()::handle));
            config.routes.post("/authorize", served(e -> e.authorize()::handle));
            config.routes.get("/login", served(e -> e.login()::show));
            config.routes.post("/login", served(e -> e.login()::submit));
            config.routes.get("/consent", served(e -> e.consent()::show));
            config.routes.post("/consent", served(e -> e.consent()::submit));
            config.routes.get("/account/totp", served(e -> e.accountTotp()::show));
            config.routes.post("/account/totp", served(e -> e.accountTotp()::submit));
            if (optional.register()) {
                config.routes.get("/register", served(e -> e.register()::show)); // else 404 like any path we do not serve
                config.routes.post("/register", served(e -> e.register()::submit));
            }
            config.routes.post("/token", served(e -> e.token()::handle));
            config.routes.get("/userinfo", served(e -> e.userInfo()::handle));
            config.routes.post("/userinfo", served(e -> e.userInfo()::handle));
            config.routes.post("/introspect", served(e -> e.introspection()::handle));
            config.routes.post("/revoke", served(e -> e.revocation()::handle));
            config.routes.get("/logout", served(e -> e.logout()::handle));
            config.routes.post("/logout", served(e -> e.logout()::handle));
            config.routes.get("/healthz", health::liveness);
            config.routes.get("/readyz", health::readiness);
            if (optional.metrics()) {
                config.routes.get("/metrics", served(e -> e.metrics()::handle)); // else on its own listener (MetricsServer)
            }
            if (optional.devCallback()) {
                config.routes.get("/dev/callback", served(e -> e.devCallback()::handle)); // serve --dev only
                config.routes.post("/dev/callback", served(e -> e.devCallback()::redeem));
            }

            config.routes.exception(OAuthException.class, (error, ctx) -> OAuthErrorResponses.write(ctx, error));
            config.routes.exception(StoreUnavailableException.class, (error, ctx) -> storeUnavailable(ctx, error, pages()));
            config.routes.exception(HttpResponseException.class, (error, ctx) -> httpError(ctx, error, pages()));
            config.routes.exception(Exception.class, (error, ctx) -> serverError(ctx, error, pages()));
        });
    }

    /** Hands over the endpoints: from now on every route answers as the server it is. */
    public void serve(Endpoints endpoints) {
        if (!optional.match(endpoints)) {
            throw new IllegalArgumentException("the endpoints do not match the routes " + optional);
        }
        this.endpoints = endpoints;
    }

    // The handler that pick chooses from the served endpoints, or a 503 while the server is still starting.
    private Handler served(Function<Endpoints, Handler> pick) {
        return new Handler() {
            private volatile Handler resolved;

            @Override
            public void handle(Context ctx) throws Exception {
                Handler handler = resolved;
                if (handler == null) {
                    Endpoints served = endpoints;
                    if (served == null) {
                        starting(ctx);
                        return;
                    }
                    handler = pick.apply(served);
                    resolved = handler;
                }
                handler.handle(ctx);
            }
        };
    }

    private static void starting(Context ctx) {
        ctx.header("Retry-After", "1");
        OAuthErrorResponses.writeTemporarilyUnavailable(ctx, "the server is starting; retry after the time in Retry-After");
    }

    // Error pages once the endpoints exist; JSON before that.
    private Pages pages() {
        Endpoints served = endpoints;
        return served == null ? null : served.pages();
    }

    public TesseraHttpServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /**
     * Stops listening at once, lets the requests in flight finish for up to {@code grace}, then closes every
     * connection (Jetty's graceful stop). A request still running after the grace is cut off.
     */
    public void stop(Duration grace) {
        app.jettyServer().server().setStopTimeout(grace.toMillis());
        try {
            app.stop();
        } catch (JavalinException e) {
            LOG.warn("requests still running {} ms after the stop began were cut off", grace.toMillis());
        }
    }

    /** Stops at once, cutting off requests in flight (tests; a shutdown drains with {@link #stop(Duration)}). */
    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    // The matched route pattern keeps the label set small; unmatched paths share one label.
    private static String routeOf(Context ctx) {
        var matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? null : matched.path;
        return route == null || route.isEmpty() || route.equals("*") ? "unmatched" : route;
    }

    private static void httpError(Context ctx, HttpResponseException error, Pages pages) {
        if (error.getStatus() == 413) {
            OAuthErrorResponses.write(ctx, OAuthException.invalidRequest("the request body is too large"));
            return;
        }
        if (error.getStatus() >= 500) {
            serverError(ctx, error, pages);
            return;
        }
        AnsweredErrors.mark(ctx, "invalid_request");
        ctx.status(error.getStatus());
        ctx.contentType("application/json");
        ctx.result("{\"error\":\"invalid_request\",\"error_description\":\"the request could not be handled\"}");
    }

    /**
     * The database is down or restarting: 503 with {@code Retry-After}, as a page where people are, as
     * {@code temporarily_unavailable} JSON where programs are. Nothing was written, so the request can simply be
     * sent again. One line in the log now and then: the store itself logs when the outage starts and ends.
     */
    private static void storeUnavailable(Context ctx, StoreUnavailableException error, Pages pages) {
        long now = System.nanoTime();
        long last = lastUnavailableLogged;
        if (now - last > UNAVAILABLE_LOG_INTERVAL_NANOS) {
            lastUnavailableLogged = now;
            LOG.warn("{} {} answered 503 temporarily_unavailable (request id {}): {}", ctx.method(), ctx.path(),
                    RequestIds.of(ctx), error.getMessage());
        } else {
            LOG.debug("{} {} answered 503 temporarily_unavailable: {}", ctx.method(), ctx.path(), error.getMessage());
        }
        ctx.header("Retry-After", Long.toString(STORE_RETRY_AFTER_SECONDS));
        if (pages != null && PAGE_PATHS.contains(ctx.path())) {
            pages.temporarilyUnavailable(ctx);
        } else {
            OAuthErrorResponses.writeTemporarilyUnavailable(ctx);
        }
    }

    private static void serverError(Context ctx, Exception error, Pages pages) {
        String requestId = RequestIds.of(ctx);
        // The detail goes to the log only, keyed by request id; the client never sees a stack trace.
        LOG.error("request {} {} failed (request id {})", ctx.method(), ctx.path(), requestId, error);
        if (pages != null && acceptsHtml(ctx)) {
            pages.error(ctx, 500, "Something went wrong",
                    "The sign-in service could not complete your request. Try again in a moment.");
        } else {
            OAuthErrorResponses.writeServerError(ctx, requestId);
        }
    }

    private static boolean acceptsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }
}
