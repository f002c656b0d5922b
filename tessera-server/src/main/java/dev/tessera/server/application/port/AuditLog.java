package dev.tessera.server.application.port;

import java.util.Map;

/**
 * Security-relevant events (login, consent, token issued/refreshed/revoked, refresh reuse, key rotation).
 * Fields must never hold passwords, secrets, codes or tokens.
 */
public interface AuditLog {
    void record(String event, Map<String, ?> fields);
}
