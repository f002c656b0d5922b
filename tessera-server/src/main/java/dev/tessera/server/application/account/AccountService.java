package dev.tessera.server.application.account;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Password changes and disabling by an operator. Each ends the user's browser sessions and revokes their
 * refresh token families and the recorded access tokens of those grants, in the same transaction as the
 * change (OWASP ASVS 3.3.3): whoever held the old password, or the account, keeps nothing.
 */
public final class AccountService {
    private final Stores stores;
    private final AuditLog audit;
    private final Clock clock;

    public AccountService(Stores stores, AuditLog audit, Clock clock) {
        this.stores = stores;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a change ended: browser sessions and refresh token families (grants). */
    public record Ended(int sessions, int grants) { }

    /** @param passwordHash the new password's hash (never the password) */
    public Ended changePassword(User user, String passwordHash) {
        return change(user.withPasswordHash(passwordHash), "user_password_changed");
    }

    public Ended disable(User user) {
        return change(user.withEnabled(false), "user_disabled");
    }

    private Ended change(User changed, String event) {
        Instant now = clock.instant();
        Ended ended = stores.transactor().inTransaction(() -> {
            stores.users().upsert(changed);
            int sessions = stores.sessions().deleteByUser(changed.id());
            Set<GrantId> grants = stores.refreshTokens().revokeUser(changed.id(), now);
            for (GrantId grant : grants) {
                stores.accessTokens().revokeGrant(grant, now);
            }
            return new Ended(sessions, grants.size());
        });
        audit.record(event, Map.of("user_id", changed.id(), "sessions_ended", ended.sessions(),
                "grants_revoked", ended.grants()));
        return ended;
    }
}
