package dev.tessera.server.http.support;

import io.javalin.http.Context;

/**
 * Remembers the OAuth error code a request was answered with, wherever it was written (JSON body, Bearer challenge,
 * error redirect), so the server counts errors by route in one place after the request.
 */
public final class AnsweredErrors {
    private static final String ATTRIBUTE = "tessera.oauthError";

    private AnsweredErrors() {
    }

    public static void mark(Context ctx, String errorCode) {
        ctx.attribute(ATTRIBUTE, errorCode);
    }

    /** The code this request was answered with, or null. */
    public static String of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }
}
