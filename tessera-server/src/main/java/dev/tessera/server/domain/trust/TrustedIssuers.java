package dev.tessera.server.domain.trust;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured trusted issuers by exact {@code iss} value; empty trusts nobody. */
public final class TrustedIssuers {
    private final Map<String, TrustedIssuer> byIssuer;

    public TrustedIssuers(List<TrustedIssuer> issuers) {
        Map<String, TrustedIssuer> map = new LinkedHashMap<>();
        for (TrustedIssuer issuer : issuers) {
            map.put(issuer.issuer(), issuer);
        }
        this.byIssuer = java.util.Collections.unmodifiableMap(map);
    }

    public Optional<TrustedIssuer> find(String issuer) {
        return issuer == null ? Optional.empty() : Optional.ofNullable(byIssuer.get(issuer));
    }

    public boolean isEmpty() {
        return byIssuer.isEmpty();
    }
}
