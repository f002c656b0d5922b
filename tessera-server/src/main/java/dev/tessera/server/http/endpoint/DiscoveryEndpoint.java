package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.discovery.DiscoveryDocument;
import dev.tessera.server.http.support.CachedBody;
import dev.tessera.server.http.support.Json;
import io.javalin.http.Context;

import java.util.Map;

/**
 * The OIDC Discovery and RFC 8414 documents; one content, served at both well-known paths. The metadata is
 * rebuilt per request (cheap: it can change when a pre-published key of a new algorithm activates) but serialized
 * only when it differs from the last one, and served with an ETag so clients can revalidate with a 304.
 */
public final class DiscoveryEndpoint {
    static final String CACHE_CONTROL = "public, max-age=3600";

    private final DiscoveryDocument document;
    private volatile Serialized last;

    private record Serialized(Map<String, Object> metadata, CachedBody body) {
    }

    public DiscoveryEndpoint(DiscoveryDocument document) {
        this.document = document;
    }

    public void handle(Context ctx) {
        Map<String, Object> metadata = document.metadata();
        Serialized cached = last;
        if (cached == null || !cached.metadata().equals(metadata)) {
            cached = new Serialized(metadata, CachedBody.of(Json.serialize(metadata), "application/json;charset=UTF-8"));
            last = cached;
        }
        cached.body().write(ctx, CACHE_CONTROL);
    }
}
