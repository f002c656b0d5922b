package dev.tessera.server.application.authorize;

import dev.tessera.server.domain.claims.ClaimConsents;
import dev.tessera.server.domain.claims.ClaimRequest;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.claims.VerifiedClaimsRequest;
import dev.tessera.server.domain.user.User;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The claims a consent page names for a request: exactly those {@link ClaimConsents} says need the user's
 * own "yes", with whether the client marked them essential, its stated purpose and, for verified claims,
 * which trust framework vouches for them.
 */
final class ConsentClaims {
    private ConsentClaims() {
    }

    static Set<String> keys(AuthorizationRequest request) {
        return ClaimConsents.keysFor(request.claims(), request.scopes().values(), request.client().claims());
    }

    static List<ConsentClaim> of(AuthorizationRequest request, User user) {
        ClaimsRequest claims = request.claims();
        Map<String, ConsentClaim> named = new LinkedHashMap<>();
        for (String key : keys(request)) {
            if (ClaimConsents.isVerifiedKey(key)) {
                continue;
            }
            ClaimRequest asked = claims.claim(key).orElse(ClaimRequest.voluntary(key));
            named.put(key, new ConsentClaim(key, asked.essential(), false, List.of(), asked.purpose()));
        }
        Set<String> verifiedKeys = keys(request);
        for (VerifiedClaimsRequest verified : claims.verifiedClaims()) {
            List<String> frameworks = trustFrameworks(verified, user);
            for (ClaimRequest asked : verified.requestedClaims()) {
                String key = ClaimConsents.verifiedKey(asked.name());
                if (!verifiedKeys.contains(key)) {
                    continue;
                }
                ConsentClaim earlier = named.get(key);
                // The same verified claim asked twice (ID token and userinfo): essential if either says so.
                boolean essential = asked.essential() || (earlier != null && earlier.essential());
                Set<String> allFrameworks = new LinkedHashSet<>(earlier == null ? List.of() : earlier.trustFrameworks());
                allFrameworks.addAll(frameworks);
                String purpose = asked.purpose() != null ? asked.purpose() : earlier == null ? null : earlier.purpose();
                named.put(key, new ConsentClaim(asked.name(), essential, true, List.copyOf(allFrameworks), purpose));
            }
        }
        return List.copyOf(named.values());
    }

    // Which of the user's verifications would answer this request: the frameworks a person can be told about.
    private static List<String> trustFrameworks(VerifiedClaimsRequest request, User user) {
        Set<String> wanted = wantedFrameworks(request);
        Set<String> found = new LinkedHashSet<>();
        for (Map<?, ?> object : objects(user.verifiedClaims())) {
            if (!(object.get("verification") instanceof Map<?, ?> verification)
                    || !(verification.get("trust_framework") instanceof String framework)
                    || !(object.get("claims") instanceof Map<?, ?> held)) {
                continue;
            }
            boolean answers = request.claims().keySet().stream().anyMatch(held::containsKey);
            if (answers && (wanted.isEmpty() || wanted.contains(framework))) {
                found.add(framework);
            }
        }
        if (found.isEmpty()) {
            found.addAll(wanted); // the user has none yet: name what the client demands
        }
        return new ArrayList<>(found);
    }

    private static Set<String> wantedFrameworks(VerifiedClaimsRequest request) {
        Set<String> wanted = new LinkedHashSet<>();
        if (request.verification().get("trust_framework") instanceof Map<?, ?> constraint) {
            if (constraint.get("value") instanceof String value) {
                wanted.add(value);
            }
            if (constraint.get("values") instanceof List<?> values) {
                values.stream().filter(String.class::isInstance).map(String.class::cast).forEach(wanted::add);
            }
        }
        return wanted;
    }

    private static List<Map<?, ?>> objects(Object verifiedClaims) {
        if (verifiedClaims instanceof Map<?, ?> one) {
            return List.of(one);
        }
        if (verifiedClaims instanceof List<?> many) {
            return many.stream().filter(Map.class::isInstance).<Map<?, ?>>map(item -> (Map<?, ?>) item).toList();
        }
        return List.of();
    }
}
