package dev.tessera.server.domain.user;

import java.util.List;
import java.util.Map;

/**
 * A person who signs in. {@code id} is the stable public subject; {@code username} is what they type.
 * {@code claims} holds OIDC standard and custom claims; {@code verifiedClaims} is the OIDC4IDA
 * {@code verified_claims} object (empty map when none).
 *
 * @param passwordHash an Argon2id PHC string, or null for a user who cannot sign in with a password
 */
public record User(String id, String username, String passwordHash, List<String> roles,
                   Map<String, Object> claims, Map<String, Object> verifiedClaims, List<AccountLink> links,
                   boolean enabled) {
    public User {
        roles = List.copyOf(roles);
        claims = Map.copyOf(claims);
        verifiedClaims = Map.copyOf(verifiedClaims);
        links = List.copyOf(links);
    }

    public User withPasswordHash(String hash) {
        return new User(id, username, hash, roles, claims, verifiedClaims, links, enabled);
    }

    public User withEnabled(boolean value) {
        return new User(id, username, passwordHash, roles, claims, verifiedClaims, links, value);
    }
}
