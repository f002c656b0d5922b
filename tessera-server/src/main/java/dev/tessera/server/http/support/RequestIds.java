package dev.tessera.server.http.support;

import io.javalin.http.Context;
import org.slf4j.MDC;

import java.util.UUID;

/** Gives every request an id for logs, error pages and support, echoed in X-Request-Id. */
public final class RequestIds {
    public static final String ATTRIBUTE = "tessera.requestId";

    private RequestIds() {
    }

    public static void assign(Context ctx) {
        String id = UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
        MDC.put("request_id", id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "unknown" : id;
    }

    public static void clear() {
        MDC.remove("request_id");
    }
}
