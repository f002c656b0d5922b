package dev.tessera.server.domain.trust;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * An identity provider whose ID-JAGs this server accepts with the jwt-bearer grant (RFC 7523), and the
 * only clients of ours that may present them.
 */
public record TrustedIssuer(String issuer, URI jwksUri, Duration maxAssertionLifetime, List<String> allowedClients) {
    public TrustedIssuer {
        allowedClients = List.copyOf(allowedClients);
    }

    public boolean allows(String clientId) {
        return allowedClients.contains(clientId);
    }
}
