package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import dev.tessera.server.application.keys.SigningKey;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code keys.encryptionKey}: seals private signing keys for the store with AES-256-GCM (NIST SP 800-38D: a fresh
 * random 96-bit IV per key, 128-bit tag). The sealed form is {@code v1.<iv>.<ciphertext and tag>} in base64url
 * over the private JWK. The kid and algorithm are associated data, so a sealed key copied into another row, or a
 * row whose algorithm was edited, fails to open. A wrong key-encryption key is told only by the tag failing: no
 * key id is stored that would let anyone test a guess offline without the ciphertext.
 */
public final class KeyEncryptionKey {
    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final String name;

    /**
     * @param key  32 bytes; copied, so the caller may wipe its array
     * @param name what to call it in messages, e.g. {@code keys.encryptionKey}
     */
    public KeyEncryptionKey(byte[] key, String name) {
        if (key.length != 32) {
            throw new IllegalArgumentException(name + " must have 256 bits");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "AES");
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The private JWK of {@code signingKey}, sealed and bound to its kid and algorithm. */
    public String seal(SigningKey signingKey) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] plaintext = signingKey.privateJwk().toJSONString().getBytes(StandardCharsets.UTF_8);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(signingKey.kid(), signingKey.algorithm()));
            return VERSION + "." + B64.encodeToString(iv) + "." + B64.encodeToString(cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Opens a sealed key stored for {@code kid} and {@code algorithm}.
     *
     * @throws SealedKeyException naming the kid and this key's name when the tag does not verify or the value is damaged
     */
    public JWK open(String kid, JWSAlgorithm algorithm, String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SealedKeyException("signing key " + kid + " in the store is not a sealed key of this version");
        }
        byte[] plaintext = null;
        try {
            byte[] iv = B64D.decode(parts[1]);
            if (iv.length != IV_BYTES) {
                throw new SealedKeyException("signing key " + kid + " in the store is damaged (bad IV)");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(kid, algorithm));
            plaintext = cipher.doFinal(B64D.decode(parts[2]));
            return JWK.parse(new String(plaintext, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            throw new SealedKeyException(name + " does not open signing key " + kid + " in the store (the AES-GCM tag"
                    + " does not verify): it is not the key the signing keys were sealed with, or the row was altered."
                    + " Set " + name + " to the key-encryption key in use (after `tessera keys rewrap`, the new one)");
        } catch (IllegalArgumentException | ParseException e) {
            throw new SealedKeyException("signing key " + kid + " in the store is damaged (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new SealedKeyException("signing key " + kid + " does not open (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private static byte[] associatedData(String kid, JWSAlgorithm algorithm) {
        return ("tessera-signing-key-" + VERSION + "\n" + kid + "\n" + algorithm.getName()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[" + name + "]";
    }

    /** A stored key that does not open. The message names the key, never material. */
    public static final class SealedKeyException extends IllegalStateException {
        public SealedKeyException(String message) {
            super(message);
        }
    }
}
