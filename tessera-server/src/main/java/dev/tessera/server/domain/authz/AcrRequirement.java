package dev.tessera.server.domain.authz;

import dev.tessera.server.domain.claims.ClaimRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The authentication level an authorization request asks for, as a rank of {@link AuthenticationLevels}.
 * An essential {@code acr} claim (OIDC Core §5.5.1.1) is a requirement: the weakest level among its values
 * must be reached, otherwise the request fails with {@code unmet_authentication_requirements}; values Tessera
 * does not issue cannot be met. {@code acr_values} (Core §3.1.2.1), or a voluntary {@code acr} claim, is a
 * preference: the first value Tessera issues is aimed for, and what the sign-in reached is reported.
 *
 * @param requested the essential claim's values as sent; used to report one of them (Core §5.5.1.1)
 */
public record AcrRequirement(int rank, boolean essential, List<String> requested) {
    /** An essential request naming only values Tessera never issues. */
    public static final int UNSATISFIABLE = Integer.MAX_VALUE;
    public static final AcrRequirement NONE = new AcrRequirement(AuthenticationLevels.PASSWORD, false, List.of());

    public AcrRequirement {
        requested = List.copyOf(requested);
    }

    public static AcrRequirement of(List<String> acrValues, Optional<ClaimRequest> acrClaim, AuthenticationLevels levels) {
        if (acrClaim.isPresent() && acrClaim.get().essential()) {
            List<String> values = strings(acrClaim.get().values());
            if (values.isEmpty()) {
                return new AcrRequirement(AuthenticationLevels.PASSWORD, true, values); // any acr will do
            }
            int weakest = UNSATISFIABLE;
            for (String value : values) {
                int rank = levels.rankOf(value);
                if (rank != AuthenticationLevels.UNKNOWN) {
                    weakest = Math.min(weakest, rank);
                }
            }
            return new AcrRequirement(weakest, true, values);
        }
        List<String> preferences = !acrValues.isEmpty() ? acrValues
                : acrClaim.map(claim -> strings(claim.values())).orElse(List.of());
        for (String preferred : preferences) {
            int rank = levels.rankOf(preferred);
            if (rank != AuthenticationLevels.UNKNOWN) {
                return new AcrRequirement(rank, false, List.of());
            }
        }
        return NONE;
    }

    public boolean metBy(int achievedRank) {
        return rank != UNSATISFIABLE && achievedRank >= rank;
    }

    public boolean satisfiable() {
        return rank != UNSATISFIABLE;
    }

    /**
     * The acr to report for {@code achieved}. For an essential claim with values, Core §5.5.1.1 wants one of
     * those values: the strongest requested level the sign-in reached (so an MFA sign-in asked for the password
     * level reports the password level; its amr still says what happened). Otherwise the level reached.
     */
    public AuthenticationEvent reported(AuthenticationEvent achieved, AuthenticationLevels levels) {
        if (!essential || requested.isEmpty()) {
            return achieved;
        }
        int achievedRank = levels.rankOf(achieved);
        String best = null;
        int bestRank = -1;
        for (String value : requested) {
            int rank = levels.rankOf(value);
            if (rank != AuthenticationLevels.UNKNOWN && rank <= achievedRank && rank > bestRank) {
                best = value;
                bestRank = rank;
            }
        }
        return best == null || best.equals(achieved.acr()) ? achieved
                : new AuthenticationEvent(achieved.authTime(), best, achieved.amr());
    }

    private static List<String> strings(List<Object> values) {
        List<String> strings = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof String text) {
                strings.add(text);
            }
        }
        return strings;
    }
}
