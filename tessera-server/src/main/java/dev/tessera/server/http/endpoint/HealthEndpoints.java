package dev.tessera.server.http.endpoint;

import dev.tessera.server.http.support.Json;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * /healthz answers while the process runs (liveness: restarting would not help while the database is down);
 * /readyz only when the store answers a round trip, keys are loaded and the server is not shutting down. The probes
 * exist from the moment the listener opens: until {@link #ready} the server is still starting and /readyz says so.
 * The store check is bounded by the pool's connection timeout and reused for {@link #STORE_CHECK_FRESH_FOR}, so
 * probes cannot load the database.
 */
public final class HealthEndpoints {
    static final Duration STORE_CHECK_FRESH_FOR = Duration.ofSeconds(1);

    private volatile Checks checks; // null while the server is starting
    private volatile boolean draining;

    private record Checks(BooleanSupplier storeReachable, BooleanSupplier keysLoaded) {
    }

    /**
     * Called once every route is served: from now on /readyz reports the store and the keys.
     */
    public void ready(BooleanSupplier storeReachable, BooleanSupplier keysLoaded) {
        checks = new Checks(new CachedCheck(storeReachable, STORE_CHECK_FRESH_FOR, System::nanoTime), keysLoaded);
    }

    /** From now on /readyz answers 503, so load balancers stop sending traffic while in-flight requests finish. */
    public void startDraining() {
        draining = true;
    }

    public void liveness(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, Map.of("status", "ok"));
    }

    public void readiness(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        Checks current = checks;
        boolean ready;
        if (draining) {
            ready = false;
            body.put("status", "shutting_down");
        } else if (current == null) {
            ready = false;
            body.put("status", "starting");
        } else {
            boolean store = current.storeReachable().getAsBoolean();
            boolean keys = check(current.keysLoaded());
            ready = store && keys;
            body.put("status", ready ? "ready" : "not_ready");
            body.put("store", store ? "ok" : "unreachable");
            body.put("keys", keys ? "ok" : "missing");
        }
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, ready ? 200 : 503, body);
    }

    private static boolean check(BooleanSupplier probe) {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
