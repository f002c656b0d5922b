package dev.tessera.server.http.endpoint;

import dev.tessera.server.http.support.CachedBody;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * GET and HEAD /static/{name}: the pages' stylesheet, script and icon, read from the class path once at start-up and
 * served from memory with a strong ETag. Any other name is a 404 like every path Tessera does not serve.
 *
 * <p>Three fixed files instead of Javalin's static-file handler: that handler builds a Jetty server and resource
 * factory of its own at start-up (about a tenth of the main thread's start-up work, measured), to serve what
 * fits in 15 kB.
 */
public final class StaticAssetsEndpoint {
    /**
     * Revalidate on every use: the names stay the same from one version to the next, so a cached copy must not
     * outlive an upgrade; with the ETag, a revalidation is a 304 without a body.
     */
    static final String CACHE_CONTROL = "no-cache";
    static final String DIRECTORY = "/static/";
    // Every file of src/main/resources/static (StaticAssetsEndpointTest keeps the two lists the same).
    static final Map<String, String> CONTENT_TYPES = Map.of(
            "tessera.css", "text/css;charset=UTF-8",
            "form-post.js", "text/javascript;charset=UTF-8", // RFC 9239
            "favicon.svg", "image/svg+xml");

    private final Map<String, CachedBody> assets;

    private StaticAssetsEndpoint(Map<String, CachedBody> assets) {
        this.assets = assets;
    }

    public static StaticAssetsEndpoint fromClassPath() {
        Map<String, CachedBody> assets = new java.util.HashMap<>();
        CONTENT_TYPES.forEach((name, type) -> assets.put(name, CachedBody.of(read(name), type)));
        return new StaticAssetsEndpoint(Map.copyOf(assets));
    }

    public void handle(Context ctx) {
        CachedBody asset = assets.get(ctx.pathParam("name"));
        if (asset == null) {
            throw new NotFoundResponse();
        }
        asset.write(ctx, CACHE_CONTROL);
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssetsEndpoint.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("tessera.jar lacks " + DIRECTORY + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DIRECTORY + name + " from tessera.jar", e);
        }
    }
}
