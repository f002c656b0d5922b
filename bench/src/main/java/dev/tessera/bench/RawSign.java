package dev.tessera.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The raw signing rate that load.sh compares the token endpoint with: {@code threads} threads each signing a
 * typical access token (Nimbus, header + claims to a compact JWS) in a loop, with the same key size and JCA
 * provider as the server, and nothing else. Warm-up first (not counted), then a timed run.
 *
 * <pre>
 * java -cp CLASSPATH dev.tessera.bench.RawSign accp RS256 4096 2 10 3
 *      (provider: accp|jdk, alg: RS256|ES256, RSA bits, threads, seconds, warm-up seconds)
 * </pre>
 * The last line is machine-readable: {@code RESULT alg=.. threads=.. sign_per_s=.. cpu_ms_per_sign=..}, the
 * second being the whole process's CPU time (user + system, every thread) over the timed run divided by the
 * signatures: what one signature costs the machine, comparable with the server's CPU per token however fast or
 * busy the machine is at that moment.
 */
public final class RawSign {
    private RawSign() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: RawSign accp|jdk RS256|ES256 BITS THREADS SECONDS WARMUP_SECONDS");
        }
        CryptoProviders.use(args[0]);
        JWSAlgorithm alg = JWSAlgorithm.parse(args[1]);
        int bits = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        if (threads < 1 || threads > 64 || seconds < 1 || seconds > 600 || warmup < 0 || warmup > 600) {
            throw new IllegalArgumentException("threads 1-64, seconds 1-600, warm-up 0-600");
        }
        JWSSigner signer;
        String kid;
        if (JWSAlgorithm.ES256.equals(alg)) {
            var key = new ECKeyGenerator(Curve.P_256).keyID("raw-es256").generate();
            signer = new ECDSASigner(key);
            kid = key.getKeyID();
        } else if (JWSAlgorithm.RS256.equals(alg)) {
            var key = RsaKeys.generate(bits, "raw-rs256-" + bits);
            signer = new RSASSASigner(key);
            kid = key.getKeyID();
        } else {
            throw new IllegalArgumentException("alg must be RS256 or ES256");
        }
        JWSHeader header = new JWSHeader.Builder(alg).keyID(kid).type(new JOSEObjectType("at+jwt")).build();
        // A client_credentials token's claims (what the load test asks for), not a user token's.
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://127.0.0.1:8080").subject("bench")
                .audience(List.of(AccessTokens.AUDIENCE)).claim("client_id", "bench")
                .issueTime(java.util.Date.from(now)).notBeforeTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plus(Duration.ofMinutes(15))))
                .jwtID("b3f1c0de-6d1e-4a57-9a51-2f0c8e7d4a11").claim("scope", "api.read").build();

        if (warmup > 0) {
            run(signer, header, claims, threads, warmup);
        }
        long cpuBefore = processCpuNanos();
        Run timed = run(signer, header, claims, threads, seconds);
        double cpuMsPerSign = (processCpuNanos() - cpuBefore) / 1e6 / timed.signatures();
        System.out.printf(Locale.ROOT, "RESULT alg=%s bits=%d threads=%d provider=%s sign_per_s=%.1f"
                        + " cpu_ms_per_sign=%.4f%n", alg, JWSAlgorithm.ES256.equals(alg) ? 256 : bits, threads,
                signer.getJCAContext().getProvider() == null ? CryptoProviders.rs256Provider()
                        : signer.getJCAContext().getProvider().getName(), timed.perSecond(), cpuMsPerSign);
    }

    private record Run(long signatures, double perSecond) {
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Run run(JWSSigner signer, JWSHeader header, JWTClaimsSet claims, int threads, int seconds)
            throws InterruptedException {
        LongAdder signed = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        SignedJWT jwt = new SignedJWT(header, claims);
                        jwt.sign(signer);
                        if (jwt.serialize().isEmpty()) {
                            throw new IllegalStateException("empty JWS");
                        }
                        signed.increment();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "raw-sign-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new Run(signed.sum(), signed.sum() / ((System.nanoTime() - start) / 1e9));
    }
}
