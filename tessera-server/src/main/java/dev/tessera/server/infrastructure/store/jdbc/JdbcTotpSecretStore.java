package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.TotpSecretStore;

import java.time.Instant;
import java.util.Optional;

/** Sealed TOTP secrets, one row per user; the row goes with the user (ON DELETE CASCADE). */
public final class JdbcTotpSecretStore implements TotpSecretStore {
    private final SqlExecutor sql;

    public JdbcTotpSecretStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public Optional<String> find(String userId) {
        return sql.queryOne("SELECT sealed_secret FROM totp_secrets WHERE user_id = ?",
                row -> row.string("sealed_secret"), userId);
    }

    @Override
    public boolean isEnrolled(String userId) {
        return find(userId).isPresent();
    }

    @Override
    public void save(String userId, String sealedSecret, Instant enrolledAt) {
        sql.transaction(() -> {
            // Update first, insert when there was no row; a racing insert loses on the key and updates instead.
            while (sql.update("UPDATE totp_secrets SET sealed_secret = ?, enrolled_at = ? WHERE user_id = ?",
                    sealedSecret, enrolledAt, userId) == 0) {
                if (sql.insertIgnoringDuplicate("INSERT INTO totp_secrets (user_id, sealed_secret, enrolled_at) "
                        + "VALUES (?,?,?)", userId, sealedSecret, enrolledAt)) {
                    break;
                }
            }
            return null;
        });
    }

    @Override
    public boolean delete(String userId) {
        return sql.update("DELETE FROM totp_secrets WHERE user_id = ?", userId) > 0;
    }
}
