package dev.tessera.server.application.clientauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Client secrets are high-entropy machine secrets, so a salted SHA-256 is enough and keeps the token
 * endpoint fast (SPEC §4); a slow password hash on every request would cap throughput. Stored form:
 * {@code sha256$<salt>$<hash>}, both base64url.
 */
public final class ClientSecrets {
    private static final String PREFIX = "sha256$";
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int RECOMMENDED_MIN_LENGTH = 32;

    private ClientSecrets() {
    }

    public static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + b64(salt) + "$" + b64(digest(salt, secret));
    }

    /** Constant-time in the secret; false for a malformed stored hash. */
    public static boolean verify(String presented, String storedHash) {
        if (presented == null || storedHash == null || !storedHash.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = storedHash.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 2) {
            return false;
        }
        try {
            byte[] salt = Base64.getUrlDecoder().decode(parts[0]);
            byte[] expected = Base64.getUrlDecoder().decode(parts[1]);
            return MessageDigest.isEqual(expected, digest(salt, presented));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    public static boolean isWellFormedHash(String storedHash) {
        return storedHash != null && storedHash.matches("sha256\\$[A-Za-z0-9_-]{16,}\\$[A-Za-z0-9_-]{43}");
    }

    /** A new random secret for `clients add`: 256 bits, base64url. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return b64(bytes);
    }

    private static byte[] digest(byte[] salt, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
