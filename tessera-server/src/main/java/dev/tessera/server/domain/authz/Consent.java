package dev.tessera.server.domain.authz;

import dev.tessera.server.domain.scope.Scopes;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The scopes and the claims a user has allowed a client (SPEC §3, §5); a request for more asks again.
 *
 * @param claims claims allowed one by one beyond the scopes: a standard claim's name, or
 *               {@code verified_claims/<name>} for a verified one
 */
public record Consent(String userId, String clientId, Scopes scopes, Set<String> claims, Instant grantedAt) {
    public Consent {
        claims = Collections.unmodifiableSet(new LinkedHashSet<>(claims));
    }

    /** A consent to scopes only. */
    public Consent(String userId, String clientId, Scopes scopes, Instant grantedAt) {
        this(userId, clientId, scopes, Set.of(), grantedAt);
    }

    public boolean covers(Scopes requestedScopes, Collection<String> requestedClaims) {
        return scopes.containsAll(requestedScopes) && claims.containsAll(requestedClaims);
    }
}
