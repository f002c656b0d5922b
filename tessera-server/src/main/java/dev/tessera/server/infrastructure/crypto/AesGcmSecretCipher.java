package dev.tessera.server.infrastructure.crypto;

import dev.tessera.server.application.port.SecretCipher;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * AES-256-GCM with the JDK's provider (NIST SP 800-38D: a random 96-bit IV per message, 128-bit tag). A sealed
 * value reads {@code v1.<key id>.<iv>.<ciphertext and tag>} in base64url; the key id (a hash of the key) names
 * a wrong key as such, and the context (the user id) is authenticated as associated data, so a value moved to
 * another user's row does not open. The key is read on first use, so a server without TOTP users never needs it.
 */
public final class AesGcmSecretCipher implements SecretCipher {
    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Supplier<byte[]> keySource;
    private volatile Key key;

    private record Key(SecretKeySpec spec, String id) { }

    /** @param keySource the 32-byte key, asked once, on first use */
    public AesGcmSecretCipher(Supplier<byte[]> keySource) {
        this.keySource = keySource;
    }

    /**
     * The cipher under a key derived from a master key kept outside the database (with {@code keys.source: store},
     * {@code keys.encryptionKey}): HKDF-SHA256 (RFC 5869, Bouncy Castle) with {@code purpose} as info, so the
     * master key itself never encrypts two kinds of data.
     */
    public static AesGcmSecretCipher derivedFrom(byte[] masterKey, String purpose) {
        byte[] key = Hkdf.sha256(masterKey, purpose.getBytes(StandardCharsets.UTF_8), 32);
        return new AesGcmSecretCipher(() -> key.clone());
    }

    /** The cipher over a key file, created with a fresh key the first time a secret is sealed. */
    public static AesGcmSecretCipher overKeyFile(SecretKeyFile file) {
        return new AesGcmSecretCipher(file::readOrCreate);
    }

    @Override
    public String seal(byte[] secret, String context) {
        Key k = key();
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, k.spec(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(k.id(), context));
            return VERSION + "." + k.id() + "." + B64.encodeToString(iv) + "." + B64.encodeToString(cipher.doFinal(secret));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        }
    }

    @Override
    public byte[] open(String sealed, String context) {
        String[] parts = sealed == null ? new String[0] : sealed.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw new SealedSecretException("not a sealed secret of this version");
        }
        Key k = key();
        if (!MessageDigest.isEqual(k.id().getBytes(StandardCharsets.US_ASCII), parts[1].getBytes(StandardCharsets.US_ASCII))) {
            throw new SealedSecretException("sealed under another key (key id " + parts[1] + ", current " + k.id()
                    + "): was the key file replaced?");
        }
        try {
            byte[] iv = B64D.decode(parts[2]);
            if (iv.length != IV_BYTES) {
                throw new SealedSecretException("damaged sealed secret");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, k.spec(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(k.id(), context));
            return cipher.doFinal(B64D.decode(parts[3]));
        } catch (AEADBadTagException e) {
            throw new SealedSecretException("sealed secret does not open: damaged, or sealed for someone else", e);
        } catch (IllegalArgumentException e) {
            throw new SealedSecretException("damaged sealed secret", e);
        } catch (GeneralSecurityException e) {
            throw new SealedSecretException("sealed secret does not open", e);
        }
    }

    private static byte[] associatedData(String keyId, String context) {
        return ("tessera-secret-" + VERSION + "\n" + keyId + "\n" + context).getBytes(StandardCharsets.UTF_8);
    }

    private Key key() {
        Key current = key;
        if (current == null) {
            synchronized (this) {
                if (key == null) {
                    byte[] bytes = keySource.get();
                    if (bytes.length != 32) {
                        throw new IllegalStateException("the secret encryption key must have 256 bits");
                    }
                    key = new Key(new SecretKeySpec(bytes, "AES"), keyId(bytes));
                }
                current = key;
            }
        }
        return current;
    }

    // Not the key, nor enough of a hash of it to matter: 48 bits to tell keys apart in messages.
    private static String keyId(byte[] key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("tessera secret key id\n".getBytes(StandardCharsets.US_ASCII));
            byte[] digest = sha256.digest(key);
            return B64.encodeToString(java.util.Arrays.copyOf(digest, 6));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
