package dev.tessera.server.domain.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * SHA-256 of a bearer secret, base64url. Stores keep only this, so a database leak yields no usable
 * code or token. Tokens carry 256 bits of entropy, so an unsalted fast hash is enough here.
 */
public record TokenHash(String value) {
    public TokenHash {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty token hash");
        }
    }

    public static TokenHash of(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest(secret.getBytes(StandardCharsets.UTF_8));
            return new TokenHash(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "TokenHash[" + value.substring(0, Math.min(8, value.length())) + "...]";
    }
}
