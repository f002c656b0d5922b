package dev.tessera.server.http.support;

import io.javalin.http.Context;

/** Headers for every HTML page: a strict CSP (no inline script), no framing, no caching of personal pages. */
public final class SecurityHeaders {
    // form-action must allow the client's redirect URI for form_post, so it is left open; everything
    // else is locked to this origin.
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static void applyToPage(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }

    /** For every response: harmless everywhere, useful on JSON too. */
    public static void applyToAll(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    /**
     * RFC 6797: with an https issuer, browsers must never reach us over plain http again. Sent even when TLS
     * ends at a proxy (the browser only honours it over https). No includeSubDomains: other hosts under the
     * same domain are not ours to decide for.
     */
    public static void applyStrictTransport(Context ctx) {
        ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
}
