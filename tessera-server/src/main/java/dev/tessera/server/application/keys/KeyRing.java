package dev.tessera.server.application.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of the published keys. The active key for an algorithm is the newest whose
 * activation time has passed, ties broken by kid, so every instance reading the same key directory
 * picks the same key (SPEC §7).
 */
public final class KeyRing {
    private static final Comparator<SigningKey> NEWEST_FIRST = Comparator
            .comparing(SigningKey::activatesAt).reversed()
            .thenComparing(SigningKey::kid);

    private final List<SigningKey> keys;
    private final JWKSet publicJwks;

    public KeyRing(List<SigningKey> keys) {
        this.keys = keys.stream().sorted(NEWEST_FIRST).toList();
        this.publicJwks = new JWKSet(this.keys.stream().map(SigningKey::publicJwk).toList());
    }

    public List<SigningKey> published() {
        return keys;
    }

    public Optional<SigningKey> active(JWSAlgorithm algorithm, Instant now) {
        return keys.stream()
                .filter(k -> k.algorithm().equals(algorithm) && !k.activatesAt().isAfter(now))
                .findFirst();
    }

    public Optional<SigningKey> byKid(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /** The algorithms that have an active key now, in a stable order (RS256 first when present). */
    public Set<JWSAlgorithm> activeAlgorithms(Instant now) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        keys.stream().filter(k -> !k.activatesAt().isAfter(now))
                .map(SigningKey::algorithm)
                .sorted(Comparator.comparing((JWSAlgorithm a) -> !a.equals(JWSAlgorithm.RS256)).thenComparing(JWSAlgorithm::getName))
                .forEach(algorithms::add);
        return algorithms;
    }

    /** Public keys only, never private parts. */
    public JWKSet publicJwks() {
        return publicJwks;
    }

    public List<JWK> publicKeys() {
        return publicJwks.getKeys();
    }
}
