package dev.tessera.resourceserver;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Validates bearer access tokens for a resource server: JWTs (RFC 9068) offline against the
 * issuer's cached JWKS, or opaque tokens by introspection (RFC 7662). Thread-safe and immutable
 * once built; build one per issuer and share it. {@link #close()} stops the background key refresh.
 */
public final class TokenValidator implements Closeable {
    /** RS256, ES256 and PS256: what Tessera signs with. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);

    private final AccessTokenVerifier verifier;

    private TokenValidator(AccessTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** Finds the JWKS through the issuer's metadata; the metadata must name exactly this issuer. */
    public static Builder forIssuer(URI issuer) {
        Objects.requireNonNull(issuer, "issuer");
        return new Builder(Mode.DISCOVERY, issuer, null, null, null).issuer(issuer.toString());
    }

    /** Reads keys from this JWKS URL; {@link Builder#issuer(String)} is then required. */
    public static Builder forJwksUri(URI jwksUri) {
        return new Builder(Mode.JWKS, Objects.requireNonNull(jwksUri, "jwksUri"), null, null, null);
    }

    /** Asks the issuer about every (uncached) token, for opaque access tokens. */
    public static Builder introspecting(URI introspectionEndpoint, String clientId, String clientSecret) {
        return new Builder(Mode.INTROSPECTION, Objects.requireNonNull(introspectionEndpoint, "introspectionEndpoint"),
                Objects.requireNonNull(clientId, "clientId"), Objects.requireNonNull(clientSecret, "clientSecret"), null);
    }

    /**
     * Validates a bearer token (as read by {@link BearerTokenReader}).
     *
     * @throws TokenValidationException with an RFC 6750 error, ready for a {@code WWW-Authenticate} header
     */
    public VerifiedToken validate(String bearerToken) throws TokenValidationException {
        if (bearerToken == null || bearerToken.isEmpty()) {
            throw TokenValidationException.missingToken();
        }
        if (bearerToken.length() > BearerTokenReader.MAX_TOKEN_LENGTH) {
            throw TokenValidationException.invalidRequest("the access token is too long");
        }
        return verifier.verify(bearerToken);
    }

    /** Validates the token and requires every one of these scopes. */
    public VerifiedToken validate(String bearerToken, Set<String> requiredScopes) throws TokenValidationException {
        VerifiedToken token = validate(bearerToken);
        if (!token.hasAllScopes(requiredScopes)) {
            throw TokenValidationException.insufficientScope(requiredScopes);
        }
        return token;
    }

    @Override
    public void close() {
        verifier.close();
    }

    private enum Mode { DISCOVERY, JWKS, INTROSPECTION }

    /** Collects the settings; nothing is fetched before the first token arrives. */
    public static final class Builder {
        private final Mode mode;
        private final URI location;
        private final String clientId;
        private final String clientSecret;
        private String issuer;
        private Set<String> audiences = Set.of();
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Duration clockSkew = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private Duration jwksRefreshInterval = Duration.ofMinutes(5);
        private Duration unknownKidRefetchMinInterval = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration readTimeout = Duration.ofSeconds(3);
        private Duration introspectionCacheTtl = Duration.ofSeconds(30);
        private boolean allowPlainHttp;

        private Builder(Mode mode, URI location, String clientId, String clientSecret, String issuer) {
            this.mode = mode;
            this.location = location;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.issuer = issuer;
        }

        /** The exact {@code iss} value to accept (for introspection: checked when the answer carries one). */
        public Builder issuer(String issuer) {
            if (mode == Mode.DISCOVERY && !Objects.equals(this.issuer, issuer) && this.issuer != null) {
                throw new IllegalStateException("the issuer is the URL given to forIssuer");
            }
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** Accepts a token whose {@code aud} contains any of these; at least one is required (RFC 9068 §4). */
        public Builder audience(String... audiences) {
            Set<String> accepted = new LinkedHashSet<>(Arrays.asList(audiences));
            if (accepted.isEmpty() || accepted.stream().anyMatch(a -> a == null || a.isBlank())) {
                throw new IllegalArgumentException("audiences must be non-blank, and at least one is required");
            }
            this.audiences = accepted;
            return this;
        }

        /** Asymmetric JWS algorithms only: {@code none} and HMAC are refused (RFC 8725 §3.1, RFC 9068 §4). */
        public Builder allowedAlgorithms(JWSAlgorithm... algorithms) {
            Set<JWSAlgorithm> allowed = new LinkedHashSet<>(Arrays.asList(algorithms));
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("at least one algorithm is required");
            }
            for (JWSAlgorithm algorithm : allowed) {
                if (algorithm == null || Algorithm.NONE.getName().equals(algorithm.getName())
                        || !JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
                    // with a shared secret, anyone holding the public JWKS could mint tokens
                    throw new IllegalArgumentException("only asymmetric signature algorithms are accepted, not " + algorithm);
                }
            }
            this.algorithms = Set.copyOf(allowed);
            return this;
        }

        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = requireNotNegative(clockSkew, "clockSkew");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long fetched keys are used before they are fetched again (refreshed ahead, in the background). */
        public Builder jwksRefreshInterval(Duration interval) {
            this.jwksRefreshInterval = requirePositive(interval, "jwksRefreshInterval");
            return this;
        }

        /** At most two JWKS fetches per this interval, however many unknown {@code kid}s arrive. */
        public Builder unknownKidRefetchMinInterval(Duration interval) {
            this.unknownKidRefetchMinInterval = requirePositive(interval, "unknownKidRefetchMinInterval");
            return this;
        }

        public Builder httpTimeouts(Duration connect, Duration read) {
            this.connectTimeout = requirePositive(connect, "connect");
            this.readTimeout = requirePositive(read, "read");
            return this;
        }

        /** How long an active introspection answer is reused; never past the token's {@code exp}. */
        public Builder introspectionCacheTtl(Duration ttl) {
            this.introspectionCacheTtl = requireNotNegative(ttl, "introspectionCacheTtl");
            return this;
        }

        /** Permits http:// endpoints that are not loopback, e.g. inside a trusted container network. */
        public Builder allowPlainHttp() {
            this.allowPlainHttp = true;
            return this;
        }

        public TokenValidator build() {
            if (audiences.isEmpty()) {
                throw new IllegalStateException("audience(...) is required: a token for another API must not pass");
            }
            if (mode != Mode.INTROSPECTION && issuer == null) {
                throw new IllegalStateException("issuer(...) is required with forJwksUri");
            }
            Endpoints.requireSecure(location, allowPlainHttp);
            if (mode == Mode.DISCOVERY) {
                Endpoints.requireSecure(URI.create(issuer), allowPlainHttp);
            }
            boolean issuerClaimRequired = mode != Mode.INTROSPECTION; // RFC 7662 §2.2: iss is optional there
            AccessTokenClaimsCheck claimsCheck = new AccessTokenClaimsCheck(issuer, issuerClaimRequired, audiences, clockSkew, clock);
            if (mode == Mode.INTROSPECTION) {
                return new TokenValidator(new IntrospectionVerifier(location, clientId, clientSecret,
                        connectTimeout, readTimeout, introspectionCacheTtl, clock, claimsCheck));
            }
            return new TokenValidator(new JwtAccessTokenVerifier(algorithms, keySource(), claimsCheck));
        }

        private JWKSource<SecurityContext> keySource() {
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(
                    millis(connectTimeout), millis(readTimeout), JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT);
            JWKSetSource<SecurityContext> origin;
            if (mode == Mode.DISCOVERY) {
                origin = new IssuerMetadataJwksSource(issuer, retriever, allowPlainHttp);
            } else {
                try {
                    origin = new URLBasedJWKSetSource<>(location.toURL(), retriever);
                } catch (MalformedURLException | IllegalArgumentException notUrl) {
                    throw new IllegalArgumentException("not a URL: " + location, notUrl);
                }
            }
            long ttl = jwksRefreshInterval.toMillis();
            long refreshTimeout = connectTimeout.plus(readTimeout).toMillis() + 1000;
            // Nimbus requires refreshAhead + refreshTimeout <= ttl; refresh ahead by up to 30 s, less for short intervals
            long refreshAhead = Math.max(1, Math.min(30_000, (ttl - refreshTimeout) / 2));
            if (ttl < refreshTimeout + refreshAhead) {
                throw new IllegalStateException("jwksRefreshInterval must exceed the HTTP timeouts plus one second");
            }
            return JWKSourceBuilder.create(origin)
                    .cache(ttl, refreshTimeout)
                    // scheduled refresh-ahead: keys are renewed on time even when no tokens arrive
                    .refreshAheadCache(refreshAhead, null, Executors.newSingleThreadExecutor(daemon("tessera-jwks-refresh")), true,
                            scheduledDaemon(), true)
                    .rateLimited(unknownKidRefetchMinInterval.toMillis())
                    .build();
        }

        private static ScheduledExecutorService scheduledDaemon() {
            return Executors.newSingleThreadScheduledExecutor(daemon("tessera-jwks-schedule"));
        }

        /** Daemon threads: a validator that is never closed must not keep the JVM alive. */
        private static ThreadFactory daemon(String name) {
            return runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
            };
        }

        private static int millis(Duration duration) {
            return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

        private static Duration requireNotNegative(Duration duration, String name) {
            if (duration == null || duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return duration;
        }
    }
}
