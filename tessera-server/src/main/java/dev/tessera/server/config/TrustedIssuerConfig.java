package dev.tessera.server.config;

import java.time.Duration;
import java.util.List;

/**
 * An issuer whose ID-JAGs the jwt-bearer grant accepts (RFC 7523).
 *
 * @param allowedClients our client ids that may present its assertions
 */
public record TrustedIssuerConfig(String issuer, String jwksUri, Duration maxAssertionLifetime,
                                  List<String> allowedClients) {
    public static final Duration DEFAULT_MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);

    public TrustedIssuerConfig {
        maxAssertionLifetime = maxAssertionLifetime == null ? DEFAULT_MAX_ASSERTION_LIFETIME : maxAssertionLifetime;
        allowedClients = allowedClients == null ? List.of() : List.copyOf(allowedClients);
    }
}
