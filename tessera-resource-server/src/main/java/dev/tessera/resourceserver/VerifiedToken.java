package dev.tessera.resourceserver;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An access token whose signature (or introspection answer), issuer, audience and lifetime were
 * checked. {@code jti} may be null, and so may {@code issuer} for an introspection answer without one; {@code claims} holds every claim as plain JSON values.
 */
public record VerifiedToken(
        String subject,
        String clientId,
        Set<String> scopes,
        Set<String> audience,
        String issuer,
        Instant expiresAt,
        String jti,
        Map<String, Object> claims) {

    public VerifiedToken {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = Set.copyOf(scopes);
        audience = Set.copyOf(audience);
        // not Map.copyOf: JSON null is a legal claim value
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public boolean hasAllScopes(Set<String> required) {
        return scopes.containsAll(required);
    }
}
