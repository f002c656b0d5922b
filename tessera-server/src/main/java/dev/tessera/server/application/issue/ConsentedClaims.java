package dev.tessera.server.application.issue;

import dev.tessera.server.domain.claims.ClaimConsents;

import java.util.Set;

/**
 * The claims a user allowed a client one by one (keys as {@link ClaimConsents} names them), or every claim
 * for a {@code consent: skip} client, whose requests stand in for the user's answer (SPEC §2).
 */
public record ConsentedClaims(boolean all, Set<String> keys) {
    public static final ConsentedClaims NONE = new ConsentedClaims(false, Set.of());
    public static final ConsentedClaims ALL = new ConsentedClaims(true, Set.of());

    public ConsentedClaims {
        keys = Set.copyOf(keys);
    }

    public static ConsentedClaims of(Set<String> keys) {
        return new ConsentedClaims(false, keys);
    }

    public boolean allows(String key) {
        return all || keys.contains(key);
    }
}
