package dev.tessera.server.application.grant;

import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.Transactor;
import dev.tessera.server.domain.authz.GrantId;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ends everything issued from one authorization: its refresh family and its recorded access tokens. */
public final class GrantRevocation {
    private final RefreshTokenStore refreshTokens;
    private final AccessTokenStore accessTokens;
    private final Transactor transactor;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;

    public GrantRevocation(RefreshTokenStore refreshTokens, AccessTokenStore accessTokens, Transactor transactor,
                           AuditLog audit, Metrics metrics, Clock clock) {
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.transactor = transactor;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void revoke(GrantId grantId, String reason) {
        transactor.inTransaction(() -> {
            refreshTokens.revokeGrant(grantId, clock.instant());
            accessTokens.revokeGrant(grantId, clock.instant());
            return null;
        });
        audit.record("grant_revoked", Map.of("grant_id", grantId.value(), "reason", reason));
    }

    /**
     * SPEC §4: a retired refresh token presented again means the family may be in a thief's hands, so all of it
     * ends. {@code via} names where it was presented when that is not the refresh grant (e.g. token_exchange).
     */
    public void revokeReusedFamily(GrantId grantId, String clientId, String via) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client_id", clientId);
        fields.put("grant_id", grantId.value());
        if (via != null) {
            fields.put("via", via);
        }
        audit.record("refresh_reuse_detected", fields);
        metrics.refreshReuseDetected(via == null ? "refresh_token" : via);
        revoke(grantId, "refresh_token_reuse");
    }
}
