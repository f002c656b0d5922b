package dev.tessera.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.resourceserver.TokenValidationException;
import dev.tessera.resourceserver.TokenValidator;
import dev.tessera.resourceserver.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a resource server pays per request: {@link TokenValidator#validate(String)} of one RS256
 * {@code at+jwt} access token, next to the bare RSA signature check of the same token
 * ({@link RSASSAVerifier#verify}) and Nimbus parse + verify. The JWKS comes from a local HTTP server
 * and is fetched once in setup, as it would be cached in production. Goal: validate ≥ 90 % of
 * rawVerify, i.e. parsing and the claim checks cost at most a tenth of the signature check.
 *
 * <p>On a shared, busy machine two benchmarks run one after the other can see different load. The
 * {@code sideBySide} group therefore also runs validate and raw verify at the same time, one thread
 * each: both get the same share of whatever CPU is free, so their ratio stays meaningful when the
 * absolute numbers are not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
// validate() runs deep Nimbus and JSON code that C2 compiles only after 15-25 s on a busy 2-core box;
// a shorter warm-up measures the JIT, not the library (raw verify is hot within a second)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 3, time = 3)
public class ResourceServerValidationBenchmark {
    @Param({"4096", "2048"})
    int keyBits;

    private LocalJwksServer jwks;
    private TokenValidator validator;
    private String token;
    private RSASSAVerifier verifier;
    private JWSHeader header;
    private byte[] signingInput;
    private Base64URL signature;

    @Setup(Level.Trial)
    public void setUp() throws JOSEException, ParseException, TokenValidationException {
        RSAKey key = RsaKeys.generate(keyBits, "bench-rs256-" + keyBits);
        jwks = new LocalJwksServer(key);
        SignedJWT jwt = new SignedJWT(AccessTokens.header(key),
                AccessTokens.claims(jwks.issuer(), Instant.now(), Duration.ofHours(2)));
        jwt.sign(new RSASSASigner(key));
        token = jwt.serialize();

        validator = TokenValidator.forJwksUri(jwks.jwksUri())
                .issuer(jwks.issuer())
                .audience(AccessTokens.AUDIENCE)
                .build();
        validator.validate(token); // fetches and caches the JWKS outside the measurement

        SignedJWT parsed = SignedJWT.parse(token);
        header = parsed.getHeader();
        signingInput = parsed.getSigningInput();
        signature = parsed.getSignature();
        verifier = new RSASSAVerifier(key.toRSAPublicKey());
        if (!verifier.verify(header, signingInput, signature)) {
            throw new IllegalStateException("the raw verifier refuses the benchmark token");
        }
        System.out.println("# token: " + token.getBytes(StandardCharsets.US_ASCII).length + " bytes, RSA-" + keyBits
                + ", verify provider " + CryptoProviders.rs256Provider());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        validator.close();
        jwks.close();
    }

    /** The library's full check: header, signature against the cached JWKS, iss, aud, exp/nbf/iat, sub, client_id. */
    @Benchmark
    public VerifiedToken validate() throws TokenValidationException {
        return validator.validate(token);
    }

    /** The floor: only the RSA signature check of the already split token. */
    @Benchmark
    public boolean rawVerify() throws JOSEException {
        return verifier.verify(header, signingInput, signature);
    }

    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public VerifiedToken sideBySideValidate() throws TokenValidationException {
        return validator.validate(token);
    }

    @Benchmark
    @Group("sideBySide")
    @GroupThreads(1)
    public boolean sideBySideRawVerify() throws JOSEException {
        return verifier.verify(header, signingInput, signature);
    }

    /** Nimbus without the library: parse the compact token, then check its signature. */
    @Benchmark
    public boolean parseAndVerify() throws JOSEException, ParseException {
        return SignedJWT.parse(token).verify(verifier);
    }
}
