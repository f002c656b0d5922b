package dev.tessera.server.domain.claims;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OIDC Core §5.5 {@code claims} request parameter: claims asked for one by one for the ID token
 * ({@code id_token}) and for the userinfo response ({@code userinfo}), each voluntary or essential, perhaps
 * with wanted values, and {@code verified_claims} sub-requests (OIDC4IDA). It travels with the grant as the
 * JSON the client sent ({@link #json()}), so userinfo and every refresh honour the same request.
 *
 * <p>Asking is not getting: what is released also depends on the granted scopes, the user's consent and the
 * client's claim release rules.
 */
public final class ClaimsRequest {
    /** Where a claim is asked to appear. */
    public enum Target {
        ID_TOKEN("id_token"), USERINFO("userinfo");

        private final String member;

        Target(String member) {
            this.member = member;
        }

        public String member() {
            return member;
        }
    }

    public static final String VERIFIED_CLAIMS = "verified_claims";
    private static final ClaimsRequest NONE = new ClaimsRequest(null, new EnumMap<>(Target.class),
            new EnumMap<>(Target.class));

    private final String json;
    private final Map<Target, Map<String, ClaimRequest>> claims;
    private final Map<Target, List<VerifiedClaimsRequest>> verified;

    private ClaimsRequest(String json, Map<Target, Map<String, ClaimRequest>> claims,
                          Map<Target, List<VerifiedClaimsRequest>> verified) {
        this.json = json;
        this.claims = claims;
        this.verified = verified;
    }

    public static ClaimsRequest none() {
        return NONE;
    }

    /**
     * Checks the shape of a parsed {@code claims} parameter; anything malformed is {@code invalid_request}.
     * Members other than {@code id_token} and {@code userinfo} are ignored (Core §5.5).
     *
     * @param json the parameter as sent, kept to be stored with the grant
     * @param parsed the same JSON as a tree of maps, lists, strings, numbers and booleans
     */
    public static ClaimsRequest of(String json, Map<String, Object> parsed) {
        Map<Target, Map<String, ClaimRequest>> claims = new EnumMap<>(Target.class);
        Map<Target, List<VerifiedClaimsRequest>> verified = new EnumMap<>(Target.class);
        for (Target target : Target.values()) {
            Object member = parsed.get(target.member());
            if (member == null) {
                continue;
            }
            if (!(member instanceof Map<?, ?> requests)) {
                throw ClaimRequestRules.invalid(target.member(), "must be a JSON object");
            }
            Map<String, ClaimRequest> named = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : requests.entrySet()) {
                String name = String.valueOf(entry.getKey());
                if (VERIFIED_CLAIMS.equals(name)) {
                    verified.put(target, verifiedClaims(entry.getValue(), target.member() + "." + name));
                } else {
                    named.put(name, ClaimRequestRules.claim(name, entry.getValue(), target.member()));
                }
            }
            claims.put(target, Collections.unmodifiableMap(named));
        }
        return new ClaimsRequest(json, claims, verified);
    }

    // OIDC4IDA §6: verified_claims is one request object or an array of them.
    private static List<VerifiedClaimsRequest> verifiedClaims(Object value, String where) {
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                throw ClaimRequestRules.invalid(where, "must not be an empty array");
            }
            List<VerifiedClaimsRequest> requests = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                requests.add(VerifiedClaimsRequest.parse(list.get(i), where + "." + i));
            }
            return List.copyOf(requests);
        }
        return List.of(VerifiedClaimsRequest.parse(value, where));
    }

    /** The parameter as the client sent it, or null when there was none. */
    public String json() {
        return json;
    }

    public boolean isEmpty() {
        return claims.values().stream().allMatch(Map::isEmpty) && verified.isEmpty();
    }

    /** The claims asked for one by one at {@code target}, in request order; {@code verified_claims} excluded. */
    public Map<String, ClaimRequest> claims(Target target) {
        return claims.getOrDefault(target, Map.of());
    }

    /** Names asked for one by one at either target, {@code verified_claims} excluded. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        claims.values().forEach(map -> names.addAll(map.keySet()));
        return names;
    }

    /** The claim as asked for at either target; essential wins over voluntary. */
    public Optional<ClaimRequest> claim(String name) {
        ClaimRequest idToken = claims(Target.ID_TOKEN).get(name);
        ClaimRequest userinfo = claims(Target.USERINFO).get(name);
        if (idToken == null || (userinfo != null && userinfo.essential() && !idToken.essential())) {
            return Optional.ofNullable(userinfo);
        }
        return Optional.of(idToken);
    }

    /** The verified_claims requests at {@code target}; empty when none. */
    public List<VerifiedClaimsRequest> verifiedClaims(Target target) {
        return verified.getOrDefault(target, List.of());
    }

    /** The verified_claims requests at both targets, ID token first. */
    public List<VerifiedClaimsRequest> verifiedClaims() {
        List<VerifiedClaimsRequest> all = new ArrayList<>(verifiedClaims(Target.ID_TOKEN));
        all.addAll(verifiedClaims(Target.USERINFO));
        return all;
    }

    /**
     * The {@code acr} claim request (OIDC Core §5.5.1.1): its wanted values and whether it is essential, taken
     * from the {@code id_token} member where the client asked there, else from {@code userinfo}.
     */
    public Optional<ClaimRequest> acr() {
        ClaimRequest idToken = claims(Target.ID_TOKEN).get("acr");
        return Optional.ofNullable(idToken != null ? idToken : claims(Target.USERINFO).get("acr"));
    }

    /**
     * The subjects the client accepts with {@code "sub": {"value": ...}} in the {@code id_token} member; empty
     * when it named none (OIDC Core §5.5.1: the OP must then not answer for any other user).
     */
    public List<String> requiredSubjects() {
        ClaimRequest sub = claims(Target.ID_TOKEN).get("sub");
        return sub == null ? List.of() : sub.values().stream().map(String::valueOf).toList();
    }

    @Override
    public String toString() {
        return "ClaimsRequest[" + names() + (verified.isEmpty() ? "" : " + verified_claims") + "]";
    }
}
