package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.discovery.DiscoveryDocument;
import dev.tessera.server.http.support.Json;
import io.javalin.http.Context;

/** The OIDC Discovery and RFC 8414 documents; one content, served at both well-known paths. */
public final class DiscoveryEndpoint {
    private final DiscoveryDocument document;

    public DiscoveryEndpoint(DiscoveryDocument document) {
        this.document = document;
    }

    public void handle(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=3600");
        Json.write(ctx, 200, document.metadata());
    }
}
