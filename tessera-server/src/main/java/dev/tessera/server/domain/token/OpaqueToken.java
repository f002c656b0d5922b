package dev.tessera.server.domain.token;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A random bearer secret: 256 bits from a CSPRNG, base64url, behind a prefix that secret scanners
 * can match (e.g. {@code tsr_rt_}). Only {@link #hash()} is ever stored.
 */
public record OpaqueToken(String value, TokenHash hash) {
    public static final String CODE_PREFIX = "tsr_ac_";
    public static final String REFRESH_PREFIX = "tsr_rt_";
    public static final String ACCESS_PREFIX = "tsr_at_";
    public static final String SESSION_PREFIX = "tsr_ss_";

    private static final SecureRandom RANDOM = new SecureRandom();

    public static OpaqueToken generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String value = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new OpaqueToken(value, TokenHash.of(value));
    }

    @Override
    public String toString() {
        return "OpaqueToken[" + hash + "]";
    }
}
