package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.port.KeyRingSource;
import io.javalin.http.Context;

/** GET /.well-known/jwks.json: public keys only (the key ring never exposes private parts here). */
public final class JwksEndpoint {
    private final KeyRingSource keys;

    public JwksEndpoint(KeyRingSource keys) {
        this.keys = keys;
    }

    public void handle(Context ctx) {
        // Short cache: verifiers must see a pre-published key well before it starts signing.
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.contentType("application/jwk-set+json;charset=UTF-8");
        ctx.result(keys.current().publicJwks().toString(true));
    }
}
