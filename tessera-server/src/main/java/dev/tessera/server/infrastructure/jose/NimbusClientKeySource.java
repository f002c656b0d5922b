package dev.tessera.server.infrastructure.jose;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import dev.tessera.server.application.port.ClientKeySource;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches clients' JWKS with Nimbus's cached, rate-limited source: one source per URI, short timeouts
 * and a size cap, so a slow or hostile client endpoint cannot stall token issuance for long. Redirects are
 * not followed (a 3xx is a failed fetch, so temporarily_unavailable like an unreachable JWKS).
 */
public final class NimbusClientKeySource implements ClientKeySource {
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 2_000;
    private static final int SIZE_LIMIT_BYTES = 64 * 1024;
    private static final long CACHE_TTL_MS = 5 * 60 * 1000L;
    private static final long CACHE_REFRESH_TIMEOUT_MS = 3_000L;

    private final Map<URI, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();

    @Override
    public List<JWK> keys(URI jwksUri) {
        try {
            return source(jwksUri).get(new JWKSelector(new JWKMatcher.Builder().build()), null);
        } catch (KeySourceException | RuntimeException e) {
            throw new KeysUnavailableException("the client's JWKS could not be fetched", e);
        }
    }

    private JWKSource<SecurityContext> source(URI jwksUri) {
        return sources.computeIfAbsent(jwksUri, uri -> {
            try {
                return JWKSourceBuilder.create(uri.toURL(),
                                new NoRedirectRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT_BYTES))
                        .cache(CACHE_TTL_MS, CACHE_REFRESH_TIMEOUT_MS)
                        .rateLimited(true)
                        .refreshAheadCache(false)
                        .retrying(false)
                        .build();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a URL: " + uri, e);
            }
        });
    }
}
