package dev.tessera.server.application.authorize;

import java.util.List;
import java.util.Objects;

/**
 * A claim the consent page must name because the client asked for it beyond the scopes (SPEC §3, §5).
 *
 * @param verified whether it is asked for inside {@code verified_claims}
 * @param trustFrameworks for a verified claim, the trust frameworks that checked it (from the user's data, or
 *                        the ones the client demands); empty otherwise
 * @param purpose the client's reason (OIDC4IDA {@code purpose}), or null
 */
public record ConsentClaim(String name, boolean essential, boolean verified, List<String> trustFrameworks,
                           String purpose) {
    public ConsentClaim {
        Objects.requireNonNull(name, "name");
        trustFrameworks = List.copyOf(trustFrameworks);
    }
}
