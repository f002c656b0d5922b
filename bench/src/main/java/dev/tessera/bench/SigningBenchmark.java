package dev.tessera.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RS256 signing of a typical access token with a 4096-bit key (Tessera's default), Nimbus
 * {@link RSASSASigner} on the JDK provider vs the Amazon Corretto Crypto Provider. Each provider runs
 * in its own fork; ACCP is installed in setup before the key pair is generated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class SigningBenchmark {
    @Param({CryptoProviders.JDK, CryptoProviders.ACCP})
    String provider;

    @Param({"4096"})
    int keyBits;

    private RSASSASigner signer;
    private JWSHeader header;
    private JWTClaimsSet claims;

    @Setup(Level.Trial)
    public void setUp() throws JOSEException {
        CryptoProviders.use(provider);
        RSAKey key = RsaKeys.generate(keyBits, "bench-sign-" + keyBits);
        signer = new RSASSASigner(key);
        header = AccessTokens.header(key);
        claims = AccessTokens.claims("https://id.example.com", Instant.now(), Duration.ofMinutes(15));
        String signingProvider = CryptoProviders.rs256Provider();
        boolean expected = provider.equals(CryptoProviders.ACCP) == CryptoProviders.isAccp(signingProvider);
        if (!expected) {
            throw new IllegalStateException("asked for " + provider + " but SHA256withRSA comes from " + signingProvider);
        }
        System.out.println("# signing provider: " + signingProvider + ", private key class "
                + key.toPrivateKey().getClass().getName());
    }

    /** Header + claims to a signed compact JWT, as the token endpoint does for every access token. */
    @Benchmark
    public String sign() throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
