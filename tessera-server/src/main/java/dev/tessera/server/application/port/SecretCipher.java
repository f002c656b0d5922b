package dev.tessera.server.application.port;

/**
 * Authenticated encryption of small secrets kept in the store (TOTP secrets). {@code context} is bound to the
 * ciphertext (for example the user id), so a sealed value copied to another row fails to open.
 */
public interface SecretCipher {
    String seal(byte[] secret, String context);

    /** @throws SealedSecretException when the value was not sealed by this key for this context, or is damaged */
    byte[] open(String sealed, String context);

    final class SealedSecretException extends RuntimeException {
        public SealedSecretException(String message) {
            super(message);
        }

        public SealedSecretException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
