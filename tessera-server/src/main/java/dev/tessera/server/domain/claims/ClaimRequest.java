package dev.tessera.server.domain.claims;

import java.util.List;
import java.util.Objects;

/**
 * One claim asked for through the {@code claims} parameter (OIDC Core §5.5.1): {@code null} in the JSON means
 * "this claim, voluntarily"; an object may mark it essential and name the value(s) wanted.
 *
 * @param values the wanted values from {@code value} or {@code values}; empty when any value will do
 * @param purpose why the client asks (OIDC4IDA {@code purpose}), shown to the user; null when absent
 */
public record ClaimRequest(String name, boolean essential, List<Object> values, String purpose) {
    public ClaimRequest {
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
    }

    public static ClaimRequest voluntary(String name) {
        return new ClaimRequest(name, false, List.of(), null);
    }
}
