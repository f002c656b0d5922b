package dev.tessera.server.infrastructure.jose;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import dev.tessera.server.application.port.ClientKeySource;
import dev.tessera.server.application.port.PublishedKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Other parties' JWKS (trusted issuers, private_key_jwt clients, clients' encryption keys), fetched on first use and kept for
 * {@link #CACHE_TTL}. After that, stale keys and an unknown kid cause a fetch at most once per
 * {@link #REFETCH_INTERVAL} per URI (one that never answered: once per {@link #RETRY_AFTER_FAILURE}); during an
 * outage the last good copy keeps serving. Redirects are not followed: the configured URL is the trust anchor.
 * Short timeouts and a size cap keep a slow or hostile endpoint from stalling requests for long. Times come from
 * the injected clock, so the rate limit is testable and agrees with the rest of the server.
 */
public final class CachedJwks implements PublishedKeys, ClientKeySource {
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration REFETCH_INTERVAL = Duration.ofMinutes(1);
    /** A partner that never answered is asked again sooner, so it is usable soon after it comes up. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(CachedJwks.class);
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 3_000;
    private static final int SIZE_LIMIT_BYTES = 64 * 1024;

    private final Map<URI, UriState> states = new ConcurrentHashMap<>();
    private final DefaultResourceRetriever retriever =
            new NoRedirectRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT_BYTES);
    private final Clock clock;

    public CachedJwks(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Lookup find(URI jwksUri, String kid) {
        UriState state = states.computeIfAbsent(jwksUri, uri -> new UriState());
        // One fetch at a time per URI: concurrent requests wait for it rather than each fetching.
        synchronized (state) {
            Instant now = clock.instant();
            boolean stale = state.keys == null || state.fetchedAt.plus(CACHE_TTL).isBefore(now);
            if (stale && state.mayFetch(now, state.keys == null ? RETRY_AFTER_FAILURE : REFETCH_INTERVAL)) {
                fetch(jwksUri, state, now);
            }
            if (state.keys == null) {
                return new Lookup.Unavailable(state.lastFailure == null ? "not fetched" : state.lastFailure);
            }
            List<JWK> matches = select(state.keys, kid);
            if (matches.isEmpty() && state.mayFetch(now, REFETCH_INTERVAL)) {
                fetch(jwksUri, state, now); // the keys may have been rotated
                if (state.keys != null) {
                    matches = select(state.keys, kid);
                }
            }
            return matches.isEmpty() ? new Lookup.Unknown() : new Lookup.Found(matches);
        }
    }

    /** Every key published at {@code jwksUri}: an encryption key is chosen by use and type, not by kid. */
    @Override
    public List<JWK> keys(URI jwksUri) {
        Lookup lookup = find(jwksUri, null);
        if (lookup instanceof Lookup.Unavailable unavailable) {
            throw new KeysUnavailableException("the client's JWKS could not be fetched (" + unavailable.reason() + ")",
                    null);
        }
        return lookup instanceof Lookup.Found found ? found.keys() : List.of();
    }

    private void fetch(URI jwksUri, UriState state, Instant now) {
        state.lastAttempt = now;
        try {
            Resource resource = retriever.retrieveResource(jwksUri.toURL());
            // Only public verification keys count; a symmetric key in a JWKS would let anyone who reads it sign.
            List<JWK> keys = JWKSet.parse(resource.getContent()).toPublicJWKSet().getKeys().stream()
                    .filter(key -> !KeyType.OCT.equals(key.getKeyType()))
                    .toList();
            state.keys = keys;
            state.fetchedAt = now;
            state.lastFailure = null;
        } catch (IOException | ParseException | IllegalArgumentException e) {
            state.lastFailure = e.getClass().getSimpleName();
            LOG.warn("fetching the JWKS at {} failed: {}", jwksUri, e.getMessage());
        }
    }

    private static List<JWK> select(List<JWK> keys, String kid) {
        if (kid == null) {
            return keys;
        }
        return keys.stream().filter(key -> Objects.equals(kid, key.getKeyID())).toList();
    }

    /** Per-URI cache entry; guarded by its own monitor. */
    private static final class UriState {
        private List<JWK> keys;
        private Instant fetchedAt = Instant.EPOCH;
        private Instant lastAttempt;
        private String lastFailure;

        boolean mayFetch(Instant now, Duration interval) {
            return lastAttempt == null || !lastAttempt.plus(interval).isAfter(now);
        }
    }
}
