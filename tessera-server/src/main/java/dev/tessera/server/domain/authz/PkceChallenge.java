package dev.tessera.server.domain.authz;

import dev.tessera.server.domain.error.OAuthException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** An RFC 7636 code challenge. Only S256 is accepted: "plain" gives no protection if the request leaks. */
public record PkceChallenge(String challenge) {
    public static final String S256 = "S256";
    // RFC 7636 §4.1: 43..128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    // A base64url SHA-256 digest is exactly 43 characters.
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

    public static PkceChallenge s256(String challenge) {
        if (challenge == null || !S256_CHALLENGE.matcher(challenge).matches()) {
            throw OAuthException.invalidRequest("code_challenge must be the 43-character base64url SHA-256 of the code_verifier");
        }
        return new PkceChallenge(challenge);
    }

    /** True when the verifier hashes to this challenge; comparison is constant-time. */
    public boolean verify(String verifier) {
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            return false;
        }
        byte[] computed = Base64.getUrlEncoder().withoutPadding()
                .encode(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
        return MessageDigest.isEqual(computed, challenge.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean isWellFormedVerifier(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
