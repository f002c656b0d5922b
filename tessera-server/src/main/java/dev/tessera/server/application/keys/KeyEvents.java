package dev.tessera.server.application.keys;

import dev.tessera.server.application.port.AuditLog;

import java.util.Map;

/**
 * The audit events of the key ring (SPEC §10, key rotation): generated, published, activated, retired. They name
 * the key by kid and algorithm only, never key material. {@code by} says who acted: {@code rotation}, {@code startup}
 * or {@code cli}.
 */
public final class KeyEvents {
    private final AuditLog audit;

    public KeyEvents(AuditLog audit) {
        this.audit = audit;
    }

    /** A new key is in the store and so in every instance's JWKS at its next reload. */
    public void added(SigningKey key, String by) {
        Map<String, String> fields = Map.of("kid", key.kid(), "alg", key.algorithm().getName(),
                "activatesAt", key.activatesAt().toString(), "by", by);
        audit.record("key_generated", fields);
        audit.record("key_published", fields);
    }

    public void activated(String kid, String alg, String by) {
        audit.record("key_activated", Map.of("kid", kid, "alg", alg, "by", by));
    }

    public void retired(String kid, String alg, String by) {
        audit.record("key_retired", Map.of("kid", kid, "alg", alg, "by", by));
    }
}
