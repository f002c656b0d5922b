package dev.tessera.server.infrastructure.store.jdbc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.SigningKeyStore;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey.SealedKeyException;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The key ring in the database, sealed under {@link KeyEncryptionKey}. The rotation lock is a lease in
 * {@code key_rotation_lock}: one conditional {@code UPDATE} takes it, and under READ COMMITTED (PostgreSQL) or
 * MVCC row locks (H2) a second racer re-reads the row after the first commits, finds the lease running and
 * updates nothing.
 */
public final class JdbcSigningKeyStore implements SigningKeyStore {
    private static final String LOCK = "rotation";
    private static final String COLUMNS = "kid, alg, activates_at, created_at, activated_at, retired_at";

    private final SqlExecutor sql;
    private final KeyEncryptionKey kek;

    public JdbcSigningKeyStore(JdbcTransactor transactor, SqlDialect dialect, KeyEncryptionKey kek) {
        this.sql = new SqlExecutor(transactor, dialect);
        this.kek = kek;
    }

    @Override
    public List<KeyInfo> list() {
        return sql.query("SELECT " + COLUMNS + " FROM signing_keys ORDER BY activates_at, kid", row -> new KeyInfo(
                row.string("kid"), JWSAlgorithm.parse(row.string("alg")), row.instant("activates_at"),
                row.instant("created_at"), row.instant("activated_at"), row.instant("retired_at")));
    }

    @Override
    public List<SigningKey> published() {
        record Sealed(String kid, JWSAlgorithm alg, Instant activatesAt, String sealed) { }
        List<Sealed> rows = sql.query("SELECT kid, alg, activates_at, sealed_private_jwk FROM signing_keys"
                        + " WHERE retired_at IS NULL ORDER BY activates_at, kid",
                row -> new Sealed(row.string("kid"), JWSAlgorithm.parse(row.string("alg")), row.instant("activates_at"),
                        row.string("sealed_private_jwk")));
        return rows.stream().map(r -> open(r.kid(), r.alg(), r.activatesAt(), r.sealed(), kek)).toList();
    }

    @Override
    public void add(SigningKey key, Instant createdAt) {
        sql.update("INSERT INTO signing_keys (kid, alg, public_jwk, sealed_private_jwk, created_at, activates_at)"
                        + " VALUES (?,?,?,?,?,?)", key.kid(), key.algorithm().getName(), key.publicJwk().toJSONString(),
                kek.seal(key), createdAt, key.activatesAt());
    }

    @Override
    public boolean retire(String kid, Instant at) {
        // The private half goes with it: a retired key can never sign again, nor leak from a backup.
        return sql.update("UPDATE signing_keys SET retired_at = ?, sealed_private_jwk = NULL"
                + " WHERE kid = ? AND retired_at IS NULL", at, kid) == 1;
    }

    @Override
    public boolean markActivated(String kid, Instant at) {
        return sql.update("UPDATE signing_keys SET activated_at = ? WHERE kid = ? AND activated_at IS NULL", at, kid) == 1;
    }

    @Override
    public boolean tryLock(String holder, Instant now, Duration lease) {
        sql.insertIgnoringDuplicate("INSERT INTO key_rotation_lock (name, holder, locked_until) VALUES (?,?,?)",
                LOCK, null, Instant.EPOCH);
        return sql.update("UPDATE key_rotation_lock SET holder = ?, locked_until = ? WHERE name = ?"
                + " AND (locked_until <= ? OR holder = ?)", holder, now.plus(lease), LOCK, now, holder) == 1;
    }

    @Override
    public void unlock(String holder) {
        sql.update("UPDATE key_rotation_lock SET holder = NULL, locked_until = ? WHERE name = ? AND holder = ?",
                Instant.EPOCH, LOCK, holder);
    }

    /**
     * Re-seals every unretired key under {@code next} in one transaction: either all keys move to the new
     * key-encryption key or none does. Returns how many moved.
     *
     * @throws SealedKeyException when a key does not open under the current key (nothing is changed)
     */
    public int rewrap(KeyEncryptionKey next) {
        return sql.transaction(() -> {
            record Sealed(String kid, JWSAlgorithm alg, Instant activatesAt, String sealed) { }
            List<Sealed> rows = sql.query("SELECT kid, alg, activates_at, sealed_private_jwk FROM signing_keys"
                            + " WHERE sealed_private_jwk IS NOT NULL ORDER BY kid FOR UPDATE",
                    row -> new Sealed(row.string("kid"), JWSAlgorithm.parse(row.string("alg")),
                            row.instant("activates_at"), row.string("sealed_private_jwk")));
            for (Sealed row : rows) {
                SigningKey key = open(row.kid(), row.alg(), row.activatesAt(), row.sealed(), kek);
                if (sql.update("UPDATE signing_keys SET sealed_private_jwk = ? WHERE kid = ? AND sealed_private_jwk = ?",
                        next.seal(key), row.kid(), row.sealed()) != 1) {
                    throw new IllegalStateException("signing key " + row.kid() + " changed during the rewrap; run it again");
                }
            }
            return rows.size();
        });
    }

    private static SigningKey open(String kid, JWSAlgorithm alg, Instant activatesAt, String sealed, KeyEncryptionKey kek) {
        if (sealed == null) {
            throw new SealedKeyException("signing key " + kid + " in the store has no private key");
        }
        JWK jwk = kek.open(kid, alg, sealed);
        try {
            KeyPair pair = ((AsymmetricJWK) jwk).toKeyPair();
            SigningKey key = SigningKey.fromKeyPair(pair, alg, activatesAt);
            if (!key.kid().equals(kid)) { // the AAD binds the kid already; this catches a sealing bug
                throw new SealedKeyException("signing key " + kid + " in the store opens to a different key");
            }
            return key;
        } catch (JOSEException | ClassCastException | IllegalArgumentException e) {
            throw new SealedKeyException("signing key " + kid + " in the store is not a usable " + alg + " key");
        }
    }
}
