package dev.tessera.server.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of {@code clients[].jwks}: a JWK Set (RFC 7517 §5) of public RSA or EC P-256 signing keys, the
 * keys a private_key_jwt client signs its assertions with. Checked at startup without a JOSE library (this
 * package depends on none); what matters here is what an operator can get wrong: a private key pasted in
 * (RFC 7517 §9.1: its owner must keep it), a symmetric key (anyone who reads the config could sign), or a key
 * the accepted algorithms (RS256, PS256, ES256) could never use.
 */
final class ClientKeyRules {
    /** RFC 7518 §6.2.2 and §6.3.2: members only a private (or symmetric) key has. */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final Set<String> RSA_ALGS = Set.of("RS256", "PS256");

    private ClientKeyRules() {
    }

    static void check(Object jwks, String path, Problems problems) {
        if (!(jwks instanceof Map<?, ?> set) || !(set.get("keys") instanceof List<?> keys)) {
            problems.add(path, "must be a JWK Set: a mapping with keys, a list of public keys");
            return;
        }
        if (keys.isEmpty()) {
            problems.add(Problems.child(path, "keys"), "must list at least one public key");
        }
        for (int i = 0; i < keys.size(); i++) {
            String keyPath = Problems.element(Problems.child(path, "keys"), i);
            if (keys.get(i) instanceof Map<?, ?> key) {
                key(key, keyPath, problems);
            } else {
                problems.add(keyPath, "must be a JWK (a mapping with kty)");
            }
        }
    }

    private static void key(Map<?, ?> key, String path, Problems problems) {
        for (String member : PRIVATE_MEMBERS) {
            if (key.containsKey(member)) {
                problems.add(Problems.child(path, member), "is private key material; publish only the public key");
            }
        }
        Object kty = key.get("kty");
        Object alg = key.get("alg");
        if ("RSA".equals(kty)) {
            required(key, path, problems, "n", "e");
            if (alg != null && !RSA_ALGS.contains(alg)) {
                problems.add(Problems.child(path, "alg"), "must be RS256 or PS256 for an RSA key");
            }
        } else if ("EC".equals(kty)) {
            required(key, path, problems, "x", "y");
            if (!"P-256".equals(key.get("crv"))) {
                problems.add(Problems.child(path, "crv"), "must be P-256 (ES256)");
            }
            if (alg != null && !"ES256".equals(alg)) {
                problems.add(Problems.child(path, "alg"), "must be ES256 for an EC key");
            }
        } else {
            problems.add(Problems.child(path, "kty"), "must be RSA or EC (symmetric keys are never accepted)");
        }
        Object use = key.get("use");
        if (use != null && !"sig".equals(use)) {
            problems.add(Problems.child(path, "use"), "must be sig (or left out)");
        }
    }

    private static void required(Map<?, ?> key, String path, Problems problems, String... members) {
        for (String member : members) {
            if (!(key.get(member) instanceof String value) || value.isBlank()) {
                problems.add(Problems.child(path, member), "is required");
            }
        }
    }
}
