package dev.tessera.server.bootstrap;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.domain.client.AccessTokenFormat;
import dev.tessera.server.domain.client.Client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every enabled client's {@code idTokenSigningAlg}, {@code accessTokenSigningAlg} (when its access tokens are
 * JWTs) and {@code userinfoSignedResponseAlg} need an active key in the ring; without one, its first ID token,
 * access token or userinfo answer would fail with a 500 long after startup said all was well. {@code keys.generate} provides RS256 only, so other algorithms always need a provisioned key.
 */
final class SigningKeyCheck {
    private SigningKeyCheck() {
    }

    /** Where the ring lives, for messages: {@code keys.dir}, or the store; and the CLI option that names it. */
    record KeyLocation(String description, String option) {
        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * @param defaultFormat {@code tokens.accessTokenFormat}, for clients without their own: opaque access tokens
     *                      are never signed, so their algorithm needs no key
     * @throws IllegalStateException naming each client and its missing algorithm
     */
    static void requireKeysFor(List<Client> clients, AccessTokenFormat defaultFormat, KeyRing ring,
                               KeyLocation keyDir, Instant now) {
        Set<JWSAlgorithm> active = ring.activeAlgorithms(now);
        List<String> problems = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Client client : clients) {
            if (!client.enabled()) {
                continue;
            }
            Map<String, String> wanted = new LinkedHashMap<>();
            wanted.put("idTokenSigningAlg", client.idTokenSigningAlg());
            AccessTokenFormat format = client.accessTokenFormat() != null ? client.accessTokenFormat() : defaultFormat;
            if (format != AccessTokenFormat.OPAQUE) {
                wanted.put("accessTokenSigningAlg", client.accessTokenSigningAlg());
            }
            if (client.userinfoSignedResponseAlg() != null) {
                wanted.put("userinfoSignedResponseAlg", client.userinfoSignedResponseAlg());
            }
            wanted.forEach((setting, alg) -> {
                if (!active.contains(JWSAlgorithm.parse(alg))) {
                    problems.add("client " + client.id() + " has " + setting + " " + alg + ", but " + keyDir
                            + " has no active " + alg + " key");
                    missing.add(alg);
                }
            });
        }
        if (!problems.isEmpty()) {
            List<String> fixes = missing.stream()
                    .map(alg -> "`tessera keys generate --alg " + alg + " " + keyDir.option() + "`").toList();
            throw new IllegalStateException(String.join("; ", problems) + ". Add the key with "
                    + String.join(" and ", fixes) + ", or change the client's signing algorithm");
        }
    }
}
