package dev.tessera.server.domain.claims;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The OIDC Core §5.1 standard claims and the scopes that stand for groups of them (Core §5.4). */
public final class StandardClaims {
    public static final Map<String, List<String>> BY_SCOPE = Map.of(
            "profile", List.of("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
                    "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"),
            "email", List.of("email", "email_verified"),
            "address", List.of("address"),
            "phone", List.of("phone_number", "phone_number_verified"));

    /** Every claim some scope stands for. */
    public static final Set<String> ALL = all();

    private StandardClaims() {
    }

    /** The claims the given scopes stand for. */
    public static Set<String> ofScopes(Iterable<String> scopes) {
        Set<String> claims = new LinkedHashSet<>();
        for (String scope : scopes) {
            claims.addAll(BY_SCOPE.getOrDefault(scope, List.of()));
        }
        return claims;
    }

    private static Set<String> all() {
        Set<String> all = new LinkedHashSet<>();
        for (String scope : List.of("profile", "email", "address", "phone")) {
            all.addAll(BY_SCOPE.get(scope));
        }
        return Collections.unmodifiableSet(all);
    }
}
