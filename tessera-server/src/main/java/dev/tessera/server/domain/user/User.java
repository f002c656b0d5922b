package dev.tessera.server.domain.user;

import java.util.List;
import java.util.Map;

/**
 * A person who signs in. {@code id} is the stable public subject; {@code username} is what they type.
 * {@code claims} holds OIDC standard and custom claims; {@code verifiedClaims} is the OIDC4IDA
 * {@code verified_claims} value, an object or an array of objects (an empty map when none).
 *
 * @param passwordHash an Argon2id PHC string, or null for a user who cannot sign in with a password
 */
public record User(String id, String username, String passwordHash, List<String> roles,
                   Map<String, Object> claims, Object verifiedClaims, List<AccountLink> links,
                   boolean enabled) {
    public User {
        roles = List.copyOf(roles);
        claims = Map.copyOf(claims);
        verifiedClaims = verifiedClaimsCopy(verifiedClaims);
        links = List.copyOf(links);
    }

    public boolean hasVerifiedClaims() {
        return !(verifiedClaims instanceof Map<?, ?> map && map.isEmpty())
                && !(verifiedClaims instanceof List<?> list && list.isEmpty());
    }

    // OIDC for Identity Assurance 1.0 §5: verified_claims is a JSON object or an array of them.
    private static Object verifiedClaimsCopy(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return Map.copyOf(map);
        }
        if (value instanceof List<?> list) {
            return List.copyOf(list);
        }
        throw new IllegalArgumentException("verifiedClaims must be an object or an array of objects");
    }

    public User withPasswordHash(String hash) {
        return new User(id, username, hash, roles, claims, verifiedClaims, links, enabled);
    }

    public User withEnabled(boolean value) {
        return new User(id, username, passwordHash, roles, claims, verifiedClaims, links, value);
    }
}
