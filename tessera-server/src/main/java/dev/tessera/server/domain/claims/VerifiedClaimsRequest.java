package dev.tessera.server.domain.claims;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a {@code verified_claims} request (OpenID Connect for Identity Assurance 1.0 §6): which
 * verified claims the client wants and which parts of the {@code verification} (trust framework, time,
 * evidence, ...) it wants with them, with optional constraints ({@code value}, {@code values},
 * {@code max_age}). {@code null} for an element means "give me this if you have it".
 *
 * @param verification the requested verification elements as sent (an empty map when absent)
 * @param claims the requested claims as sent, never empty; each value null or a request object
 */
public record VerifiedClaimsRequest(Map<String, Object> verification, Map<String, Object> claims) {
    public VerifiedClaimsRequest {
        verification = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(verification));
        claims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    /** The claims asked for, in request order, with essential and purpose where the client set them. */
    public List<ClaimRequest> requestedClaims() {
        return claims.entrySet().stream()
                .map(entry -> ClaimRequestRules.claim(entry.getKey(), entry.getValue(), "verified_claims.claims"))
                .toList();
    }

    /** Whether the client asked for this verification element (trust_framework, time, evidence, ...). */
    public boolean asksFor(String verificationElement) {
        return verification.containsKey(verificationElement);
    }

    /**
     * Parses one request element. {@code verification} may be left out (then only the trust framework comes
     * back); {@code claims} is required and must name at least one claim (OIDC4IDA §6).
     */
    static VerifiedClaimsRequest parse(Object element, String where) {
        if (!(element instanceof Map<?, ?> object)) {
            throw ClaimRequestRules.invalid(where, "must be a JSON object with claims");
        }
        Object verification = object.get("verification");
        if (verification != null && !(verification instanceof Map<?, ?>)) {
            throw ClaimRequestRules.invalid(where + ".verification", "must be a JSON object");
        }
        if (verification != null) {
            checkTree((Map<?, ?>) verification, where + ".verification");
        }
        Object claims = object.get("claims");
        if (!(claims instanceof Map<?, ?> claimMap) || claimMap.isEmpty()) {
            throw ClaimRequestRules.invalid(where + ".claims", "must be a JSON object naming at least one claim");
        }
        for (Map.Entry<?, ?> claim : claimMap.entrySet()) {
            Object request = claim.getValue();
            if (request instanceof Map<?, ?> nested && !isLeaf(nested)) {
                checkTree(nested, where + ".claims." + claim.getKey()); // e.g. place_of_birth: {country: null}
            } else {
                ClaimRequestRules.claim(String.valueOf(claim.getKey()), request, where + ".claims");
            }
        }
        return new VerifiedClaimsRequest(stringKeys((Map<?, ?>) (verification == null ? Map.of() : verification)),
                stringKeys(claimMap));
    }

    /**
     * True when the object asks for one element (with constraints such as value or max_age) rather than for
     * sub-elements; unknown members beside the known ones are ignored (OIDC Core §5.5).
     */
    public static boolean isLeaf(Map<?, ?> request) {
        return request.isEmpty() || request.keySet().stream().anyMatch(ClaimRequestRules.LEAF_MEMBERS::contains);
    }

    // Elements are null, a leaf request, an object of sub-elements, or (evidence) an array of such objects.
    private static void checkTree(Map<?, ?> tree, String where) {
        if (isLeaf(tree)) {
            ClaimRequestRules.checkLeafMembers(tree, where);
            return;
        }
        for (Map.Entry<?, ?> member : tree.entrySet()) {
            String path = where + "." + member.getKey();
            Object value = member.getValue();
            if (value instanceof Map<?, ?> nested) {
                checkTree(nested, path);
            } else if (value instanceof List<?> list) {
                for (Object item : list) {
                    if (!(item instanceof Map<?, ?> nested)) {
                        throw ClaimRequestRules.invalid(path, "must be an array of JSON objects");
                    }
                    checkTree(nested, path);
                }
            } else if (value != null) {
                throw ClaimRequestRules.invalid(path, "must be null or a JSON object");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        return (Map<String, Object>) map; // JSON object keys are always strings
    }
}
