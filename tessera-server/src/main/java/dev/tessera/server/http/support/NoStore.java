package dev.tessera.server.http.support;

import io.javalin.http.Context;

/** RFC 6749 §5.1: responses carrying tokens or credentials must not be cached. */
public final class NoStore {
    private NoStore() {
    }

    public static void apply(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }
}
