package dev.tessera.server.infrastructure.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/**
 * The public half of an EC private key, computed by the JDK's own EC implementation (SunEC), so that reading an
 * ES256 key file needs no Bouncy Castle (whose signed jars cost a start hundreds of milliseconds, see
 * {@link PemKeyReader}).
 *
 * <p>The JDK has no public API for {@code Q = d·G}. Its key pair generator computes exactly that for the private
 * scalar it draws from the {@link SecureRandom} it is given (FIPS 186-4 B.4.1: {@code bitLength(n) + 64} random bits,
 * read as a little-endian integer and reduced mod {@code n}). Handing it a source whose only bytes are {@code d}
 * makes it draw {@code d} itself and compute {@code Q} with the JDK's constant-time code; nothing here does curve
 * arithmetic. The result is used only if the generated private scalar is {@code d}: a JDK that draws its scalar
 * differently gives another key pair, or asks for bytes the source refuses, and then the answer is null and the
 * caller reads the key as before.
 */
final class JdkEcPublicKeys {
    private JdkEcPublicKeys() {
    }

    /** The public key of {@code key}, from the JDK's default EC provider; null when the JDK cannot derive it here. */
    static PublicKey derive(ECPrivateKey key) {
        ECParameterSpec params = key.getParams();
        BigInteger d = key.getS();
        BigInteger n = params.getOrder();
        if (d.signum() <= 0 || d.compareTo(n) >= 0) {
            return null; // out of range: the caller's reading says so
        }
        byte[] scalar = new byte[(n.bitLength() + 64 + 7) / 8];
        byte[] bigEndian = d.toByteArray();
        try {
            for (int i = 0; i < bigEndian.length && i < scalar.length; i++) {
                scalar[i] = bigEndian[bigEndian.length - 1 - i];
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
            generator.initialize(params, new OnlyTheseBytes(scalar));
            KeyPair pair = generator.generateKeyPair();
            if (!(pair.getPrivate() instanceof ECPrivateKey generated) || !d.equals(generated.getS())
                    || !(pair.getPublic() instanceof ECPublicKey derived)) {
                return null;
            }
            // The same provider as every other key object (the Corretto provider where it is installed).
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(derived.getW(), params));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // no SunEC, another drawing scheme (the source refused), ...: read it the other way
        } finally {
            Arrays.fill(scalar, (byte) 0);
            Arrays.fill(bigEndian, (byte) 0);
        }
    }

    /** A "random" source that gives its bytes once, to a request of exactly their length, and refuses anything else. */
    private static final class OnlyTheseBytes extends SecureRandom {
        OnlyTheseBytes(byte[] bytes) {
            super(new Spi(bytes), null);
        }
    }

    private static final class Spi extends SecureRandomSpi {
        private final byte[] bytes;
        private boolean given;

        Spi(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            throw new IllegalStateException("not a random source");
        }

        @Override
        protected void engineNextBytes(byte[] out) {
            if (given || out.length != bytes.length) {
                throw new IllegalStateException("the key pair generator asked for other bytes than the scalar");
            }
            given = true;
            System.arraycopy(bytes, 0, out, 0, out.length);
        }

        @Override
        protected byte[] engineGenerateSeed(int count) {
            throw new IllegalStateException("not a random source");
        }
    }
}
