package dev.tessera.server.domain.claims;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What in a claims request needs the user's own "yes" beyond the scopes (SPEC §5): each standard claim asked
 * for one by one that no requested scope already stands for, and each claim asked for inside
 * {@code verified_claims}, as long as the client's release rules could let it out at all. The keys are what
 * a consent remembers: a claim's name, or {@code verified_claims/<name>} for a verified one.
 */
public final class ClaimConsents {
    private static final String VERIFIED_PREFIX = ClaimsRequest.VERIFIED_CLAIMS + "/";

    private ClaimConsents() {
    }

    /**
     * @param scopes the scopes requested with the claims (their claims are covered by the scope consent)
     * @param releasable the client's claim release rules: an empty set caps nothing
     */
    public static Set<String> keysFor(ClaimsRequest request, Iterable<String> scopes, Set<String> releasable) {
        Set<String> coveredByScopes = StandardClaims.ofScopes(scopes);
        Set<String> keys = new LinkedHashSet<>();
        for (String name : request.names()) {
            if (StandardClaims.ALL.contains(name) && !coveredByScopes.contains(name) && allows(releasable, name)) {
                keys.add(name);
            }
        }
        if (allows(releasable, ClaimsRequest.VERIFIED_CLAIMS)) {
            for (VerifiedClaimsRequest verified : request.verifiedClaims()) {
                verified.requestedClaims().forEach(claim -> keys.add(verifiedKey(claim.name())));
            }
        }
        return keys;
    }

    public static String verifiedKey(String claim) {
        return VERIFIED_PREFIX + claim;
    }

    public static boolean isVerifiedKey(String key) {
        return key.startsWith(VERIFIED_PREFIX);
    }

    /** The claim name inside verified_claims that a {@link #verifiedKey} stands for. */
    public static String verifiedClaimOf(String key) {
        return key.substring(VERIFIED_PREFIX.length());
    }

    // The client's claims list caps everything; empty means the operator set no cap (SPEC §2).
    public static boolean allows(Set<String> releasable, String claim) {
        return releasable.isEmpty() || releasable.contains(claim);
    }
}
