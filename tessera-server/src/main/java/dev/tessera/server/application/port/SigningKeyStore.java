package dev.tessera.server.application.port;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.SigningKey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The key ring kept in the database ({@code keys.source: store}): private keys sealed under the key-encryption
 * key, so the database alone yields none. Instances read it; the one holding the rotation lock writes it.
 */
public interface SigningKeyStore {
    /** What is known of a key without opening it. */
    record KeyInfo(String kid, JWSAlgorithm algorithm, Instant activatesAt, Instant createdAt, Instant activatedAt,
                   Instant retiredAt) {
        public boolean retired() {
            return retiredAt != null;
        }
    }

    /** Every key, retired ones included, oldest activation first. Opens nothing. */
    List<KeyInfo> list();

    /**
     * Every key not retired, opened.
     *
     * @throws IllegalStateException naming the key and {@code keys.encryptionKey} when one does not open (a wrong
     *                               key-encryption key, or a row altered or moved)
     */
    List<SigningKey> published();

    /** Seals and stores a new key; it is published from then on. */
    void add(SigningKey key, Instant createdAt);

    /** Unpublishes a key and forgets its private half. False when it is unknown or already retired. */
    boolean retire(String kid, Instant at);

    /** Notes that a key's activation was announced; true for the one caller that did it first. */
    boolean markActivated(String kid, Instant at);

    /**
     * Takes the rotation lock for {@code lease}, unless another holder's lease is still running. However many
     * instances race, one wins; a holder that dies loses the lock when its lease ends.
     */
    boolean tryLock(String holder, Instant now, Duration lease);

    void unlock(String holder);
}
