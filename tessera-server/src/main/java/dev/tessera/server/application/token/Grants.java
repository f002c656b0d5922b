package dev.tessera.server.application.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The grants this server registered, built once from the configuration; discovery reads {@link #types()}. */
public final class Grants {
    private final Map<String, Grant> byType;

    public Grants(List<Grant> grants) {
        Map<String, Grant> map = new LinkedHashMap<>();
        for (Grant grant : grants) {
            if (map.put(grant.grantType(), grant) != null) {
                throw new IllegalArgumentException("grant registered twice: " + grant.grantType());
            }
        }
        this.byType = java.util.Collections.unmodifiableMap(map);
    }

    public Optional<Grant> find(String grantType) {
        return Optional.ofNullable(byType.get(grantType));
    }

    public Set<String> types() {
        return byType.keySet();
    }

    /** What the registered grants add to discovery, in registration order. */
    public Map<String, Object> metadata() {
        Map<String, Object> members = new LinkedHashMap<>();
        byType.values().forEach(grant -> members.putAll(grant.metadata()));
        return members;
    }
}
