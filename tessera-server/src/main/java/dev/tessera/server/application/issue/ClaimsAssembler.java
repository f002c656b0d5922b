package dev.tessera.server.application.issue;

import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which user claims an ID token or userinfo response carries, shared by both so they never
 * disagree. A standard claim is released when its scope (OIDC Core §5.4) was granted or the claims
 * parameter asked for it; a custom claim only when the client's {@code claims} list names it. A
 * non-empty {@code claims} list on the client is an upper bound on everything released.
 */
public final class ClaimsAssembler {
    public static final Map<String, List<String>> SCOPE_CLAIMS = Map.of(
            "profile", List.of("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
                    "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"),
            "email", List.of("email", "email_verified"),
            "address", List.of("address"),
            "phone", List.of("phone_number", "phone_number_verified"));

    public static final Set<String> STANDARD_CLAIMS = standardClaims();
    private static final String VERIFIED_CLAIMS = "verified_claims";

    public Map<String, Object> claimsFor(User user, Client client, Scopes scopes, ClaimsRequest request,
                                         ClaimsRequest.Target target) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String scope : scopes.values()) {
            wanted.addAll(SCOPE_CLAIMS.getOrDefault(scope, List.of()));
        }
        for (String name : request.claims(target).keySet()) {
            if (STANDARD_CLAIMS.contains(name)) {
                wanted.add(name);
            }
        }
        for (String name : client.claims()) {
            if (!STANDARD_CLAIMS.contains(name) && !VERIFIED_CLAIMS.equals(name)) {
                wanted.add(name); // custom claims the operator chose to release to this client
            }
        }
        Map<String, Object> released = new LinkedHashMap<>();
        for (String name : wanted) {
            Object value = user.claims().get(name);
            if (value != null && isReleasable(client, name)) {
                released.put(name, value);
            }
        }
        if (!request.verifiedClaims(target).isEmpty() && user.hasVerifiedClaims()
                && isReleasable(client, VERIFIED_CLAIMS)) {
            released.put(VERIFIED_CLAIMS, user.verifiedClaims());
        }
        return released;
    }

    private static boolean isReleasable(Client client, String claim) {
        return client.claims().isEmpty() || client.claims().contains(claim);
    }

    private static Set<String> standardClaims() {
        Set<String> all = new LinkedHashSet<>();
        SCOPE_CLAIMS.values().forEach(all::addAll);
        return java.util.Collections.unmodifiableSet(all);
    }
}
