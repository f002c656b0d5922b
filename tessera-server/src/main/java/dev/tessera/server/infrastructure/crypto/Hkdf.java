package dev.tessera.server.infrastructure.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (RFC 5869, Bouncy Castle). A class of its own so that the JVM verifying {@link AesGcmSecretCipher},
 * which every start loads, does not load a Bouncy Castle class: the first class from its signed jar costs the
 * verification of that whole jar's signature.
 */
final class Hkdf {
    private Hkdf() {
    }

    /** {@code length} bytes from {@code inputKey} for {@code info}, with no salt. */
    static byte[] sha256(byte[] inputKey, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(inputKey, null, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
