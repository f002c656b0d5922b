package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.ConsentStore;
import dev.tessera.server.domain.authz.Consent;

import java.util.LinkedHashSet;
import java.util.Optional;

/** Remembered consents (scopes and claims), one row per (user, client); saving replaces the earlier row. */
public final class JdbcConsentStore implements ConsentStore {
    private final SqlExecutor sql;

    public JdbcConsentStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public Optional<Consent> find(String userId, String clientId) {
        return sql.queryOne("SELECT user_id, client_id, scopes, claims, granted_at FROM consents "
                        + "WHERE user_id = ? AND client_id = ?",
                row -> new Consent(row.string("user_id"), row.string("client_id"), row.scopes("scopes"),
                        new LinkedHashSet<>(JsonColumns.strings(row.string("claims"))), row.instant("granted_at")),
                userId, clientId);
    }

    @Override
    public void save(Consent consent) {
        String scopes = consent.scopes().asString();
        String claims = JsonColumns.writeSorted(consent.claims());
        sql.transaction(() -> {
            // Portable upsert: update, else insert; a concurrent insert makes the loop update instead.
            while (sql.update("UPDATE consents SET scopes = ?, claims = ?, granted_at = ? WHERE user_id = ? AND client_id = ?",
                    scopes, claims, consent.grantedAt(), consent.userId(), consent.clientId()) == 0) {
                if (sql.insertIgnoringDuplicate("INSERT INTO consents (user_id, client_id, scopes, claims, granted_at) "
                                + "VALUES (?,?,?,?,?)", consent.userId(), consent.clientId(), scopes, claims,
                        consent.grantedAt())) {
                    break;
                }
            }
            return null;
        });
    }

    @Override
    public void revoke(String userId, String clientId) {
        sql.update("DELETE FROM consents WHERE user_id = ? AND client_id = ?", userId, clientId);
    }
}
