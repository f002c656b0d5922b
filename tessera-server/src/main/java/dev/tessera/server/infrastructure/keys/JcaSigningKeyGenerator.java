package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.SigningKeyGenerator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** New keys from the JVM's providers: RSA of {@code rsaBits} (e = 65537) for RS256/PS256, P-256 for ES256. */
public final class JcaSigningKeyGenerator implements SigningKeyGenerator {
    private final int rsaBits;

    public JcaSigningKeyGenerator(int rsaBits) {
        if (rsaBits < SigningKey.MIN_RSA_BITS || rsaBits > KeyFileWriter.MAX_RSA_BITS) {
            throw new KeyFileException("RSA keys need between " + SigningKey.MIN_RSA_BITS + " and "
                    + KeyFileWriter.MAX_RSA_BITS + " bits, not " + rsaBits);
        }
        this.rsaBits = rsaBits;
    }

    @Override
    public SigningKey generate(JWSAlgorithm algorithm, Instant activatesAt) {
        if (!SigningKey.SUPPORTED_ALGORITHMS.contains(algorithm)) {
            throw new KeyFileException("cannot generate a key for " + algorithm + ": use RS256, PS256 or ES256");
        }
        boolean rsa = JWSAlgorithm.Family.RSA.contains(algorithm);
        return SigningKey.fromKeyPair(rsa ? KeyFileWriter.generateRsa(rsaBits) : KeyFileWriter.generateP256(), algorithm,
                activatesAt.truncatedTo(ChronoUnit.SECONDS));
    }
}
