package dev.tessera.server.application.grant;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.error.OAuthException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Writes one structured audit line and one counter per cross-app decision (SPEC §6), issued or refused. */
public final class CrossAppDecisionLog {
    private final AuditLog audit;
    private final Metrics metrics;

    public CrossAppDecisionLog(AuditLog audit, Metrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Runs one exchange and records its outcome, issued or refused, with what the decision had learnt. */
    TokenResponse decide(CrossAppDecision decision, Supplier<TokenResponse> exchange) {
        try {
            TokenResponse response = exchange.get();
            issued(decision);
            return response;
        } catch (OAuthException e) {
            refused(decision, e);
            throw e;
        }
    }

    private void issued(CrossAppDecision decision) {
        write(decision, "issued", null);
        metrics.crossAppDecision(decision.grant, "issued");
    }

    private void refused(CrossAppDecision decision, OAuthException error) {
        write(decision, "refused", error.error().code() + ": " + error.description());
        metrics.crossAppDecision(decision.grant, error.error().code());
    }

    void scopeModified(CrossAppDecision decision) {
        metrics.scopeModified(decision.grant);
    }

    private void write(CrossAppDecision decision, String outcome, String reason) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("grant", decision.grant);
        fields.put("client_id", decision.clientId);
        putIfPresent(fields, "issuer", decision.issuer);
        putIfPresent(fields, "audience", decision.audience);
        if (!decision.resources.isEmpty()) {
            fields.put("resource", decision.resources);
        }
        putIfPresent(fields, "requested_scope", decision.requestedScope);
        putIfPresent(fields, "granted_scope", decision.grantedScope);
        putIfPresent(fields, "sub", decision.subject);
        putIfPresent(fields, "jti", decision.jti);
        fields.put("decision", outcome);
        putIfPresent(fields, "reason", reason);
        audit.record("cross_app_decision", fields);
    }

    private static void putIfPresent(Map<String, Object> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
