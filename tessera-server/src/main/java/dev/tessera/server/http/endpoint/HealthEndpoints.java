package dev.tessera.server.http.endpoint;

import dev.tessera.server.http.support.Json;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** /healthz answers while the process runs; /readyz only when the store answers and keys are loaded. */
public final class HealthEndpoints {
    private final BooleanSupplier storeReachable;
    private final BooleanSupplier keysLoaded;

    public HealthEndpoints(BooleanSupplier storeReachable, BooleanSupplier keysLoaded) {
        this.storeReachable = storeReachable;
        this.keysLoaded = keysLoaded;
    }

    public void liveness(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, Map.of("status", "ok"));
    }

    public void readiness(Context ctx) {
        boolean store = check(storeReachable);
        boolean keys = check(keysLoaded);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", store && keys ? "ready" : "not_ready");
        body.put("store", store ? "ok" : "unreachable");
        body.put("keys", keys ? "ok" : "missing");
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, store && keys ? 200 : 503, body);
    }

    private static boolean check(BooleanSupplier probe) {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
