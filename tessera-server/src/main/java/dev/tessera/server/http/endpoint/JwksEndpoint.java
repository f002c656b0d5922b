package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.port.KeyRingSource;
import dev.tessera.server.http.support.CachedBody;
import io.javalin.http.Context;

/**
 * GET /.well-known/jwks.json: public keys only (the key ring never exposes private parts here). The JSON is
 * written once per key ring: a ring is an immutable snapshot and a reload swaps in a new instance, so the
 * endpoint re-serializes only when {@link KeyRingSource#current()} hands out a different object.
 */
public final class JwksEndpoint {
    /**
     * Five minutes. A new key is published long before it signs ({@code keys rotate} 24 h ahead by default,
     * {@code keys.rotation.prePublish} days ahead), so caching cannot hide it from verifiers; what caching does
     * delay is the removal of a retired key, perhaps a compromised one, so a cache keeps trusting it at most this
     * long. A key that signs at once ({@code keys generate}) reaches verifiers that refetch on an unknown kid, as
     * the resource-server library does, except through a shared cache: again at most this long.
     */
    public static final String CACHE_CONTROL = "public, max-age=300";
    private static final String CONTENT_TYPE = "application/jwk-set+json;charset=UTF-8";

    private final KeyRingSource keys;
    private volatile Serialized last;

    private record Serialized(KeyRing ring, CachedBody body) {
    }

    public JwksEndpoint(KeyRingSource keys) {
        this.keys = keys;
    }

    public void handle(Context ctx) {
        body().write(ctx, CACHE_CONTROL);
    }

    /** The current ring's JWKS; two threads racing after a reload both build the same bytes, which is harmless. */
    CachedBody body() {
        KeyRing ring = keys.current();
        Serialized cached = last;
        if (cached == null || cached.ring() != ring) {
            cached = new Serialized(ring, CachedBody.of(ring.publicJwks().toString(true), CONTENT_TYPE));
            last = cached;
        }
        return cached.body();
    }
}
