package dev.tessera.server.application.mfa;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.SecretCipher;
import dev.tessera.server.application.port.TotpSecretStore;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Users' TOTP secrets: sealed with {@link SecretCipher} (bound to the user id) on the way into the store and
 * opened only to check a code. New secrets have 160 bits (RFC 4226 §4 R6 recommends 160, requires 128).
 */
public final class TotpSecrets {
    public static final int SECRET_BYTES = 20;
    private static final String OFFER_CONTEXT = "totp-enrolment-offer\n";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TotpSecretStore store;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final Clock clock;

    public TotpSecrets(TotpSecretStore store, SecretCipher cipher, AuditLog audit, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
    }

    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** Stores {@code secret} as the user's second factor, replacing any earlier one. */
    public void enrol(String userId, byte[] secret, String via) {
        store.save(userId, cipher.seal(secret, userId), clock.instant());
        audit.record("totp_enrolled", Map.of("user_id", userId, "via", via));
    }

    public boolean remove(String userId, String via) {
        boolean removed = store.delete(userId);
        if (removed) {
            audit.record("totp_removed", Map.of("user_id", userId, "via", via));
        }
        return removed;
    }

    public boolean isEnrolled(String userId) {
        return store.isEnrolled(userId);
    }

    /**
     * A secret offered for enrolment but not yet confirmed, sealed for the form that confirms it: only this user's
     * confirmation can open it, and it never reaches the store unconfirmed.
     */
    String sealOffer(String userId, byte[] secret) {
        return cipher.seal(secret, OFFER_CONTEXT + userId);
    }

    Optional<byte[]> openOffer(String userId, String sealedOffer) {
        try {
            return Optional.of(cipher.open(sealedOffer, OFFER_CONTEXT + userId));
        } catch (SecretCipher.SealedSecretException e) {
            return Optional.empty();
        }
    }

    /** @throws SecretCipher.SealedSecretException when the stored secret cannot be opened with the current key */
    Optional<byte[]> secretOf(String userId) {
        return store.find(userId).map(sealed -> cipher.open(sealed, userId));
    }

    /**
     * The otpauth URI authenticator apps read from a QR code (Google Authenticator Key URI Format): label
     * {@code issuer:account}, the secret unpadded base32, and the RFC 6238 parameters spelled out.
     */
    public static String keyUri(String issuerName, String accountName, byte[] secret) {
        String label = encode(issuerName) + ":" + encode(accountName);
        return "otpauth://totp/" + label + "?secret=" + Base32.encode(secret) + "&issuer=" + encode(issuerName)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
