package dev.tessera.server.application.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.infrastructure.crypto.CryptoProviders;
import dev.tessera.server.testsupport.TestKeys;

import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Prints RS256-4096 signatures per second through {@link JwtSigner}, single-threaded, with Corretto and with the
 * JDK's SunRsaSign. A measurement to read, not a test: run its main() with the test classpath.
 */
public final class JwtSignerThroughput {
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        Provider corretto = CryptoProviders.configure(CryptoProviders.Mode.AUTO).provider();
        KeyRing ring = new KeyRing(List.of(SigningKey.fromKeyPair(TestKeys.rsa4096(), JWSAlgorithm.RS256, Instant.EPOCH)));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://id.example").subject("alice")
                .audience("api").claim("scope", "openid profile").build();
        for (Provider provider : new Provider[] {corretto, Security.getProvider("SunRsaSign")}) {
            JwtSigner signer = new JwtSigner(() -> ring, provider, Clock.systemUTC());
            measure(signer, claims, 1.0); // warm-up: JIT and the signer cache
            double rate = measure(signer, claims, seconds);
            System.out.printf("RS256-4096 via JwtSigner, %s: %.0f signatures/s (single thread, %.0f s)%n",
                    signer.providerName(JWSAlgorithm.RS256), rate, seconds);
        }
    }

    private static double measure(JwtSigner signer, JWTClaimsSet claims, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        while (System.nanoTime() < end) {
            signer.sign(JWSAlgorithm.RS256, JOSEObjectType.JWT, claims);
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
