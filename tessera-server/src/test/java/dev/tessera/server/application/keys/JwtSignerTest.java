package dev.tessera.server.application.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.infrastructure.crypto.CryptoProviders;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtSignerTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JWTClaimsSet CLAIMS = new JWTClaimsSet.Builder().issuer("https://id.example").subject("alice").build();

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256"})
    void signsWithTheActiveKeyOfTheAlgorithmAndTheTokenVerifies(String name) throws Exception {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        JwtSigner signer = new JwtSigner(TestKeys.keyRingSource(), null, CLOCK);

        SignedJWT jwt = SignedJWT.parse(signer.signCompact(alg, new JOSEObjectType("at+jwt"), CLAIMS));

        SigningKey key = TestKeys.keyRing().active(alg, NOW).orElseThrow();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(alg);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.kid());
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.verify(verifierFor(key.publicJwk()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
    }

    @Test
    void withAutoTheCorrettoProviderSignsOnLinuxX8664AndTheTokenVerifies() throws Exception {
        CryptoProviders providers = CryptoProviders.configure(CryptoProviders.Mode.AUTO);
        boolean linuxX8664 = System.getProperty("os.name").toLowerCase().contains("linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        assertThat(providers.usesCorretto()).as(providers.description()).isEqualTo(linuxX8664);
        JwtSigner signer = new JwtSigner(TestKeys.keyRingSource(), providers.provider(), CLOCK);

        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256)) {
            if (linuxX8664) {
                assertThat(signer.providerName(alg)).isEqualTo("AmazonCorrettoCryptoProvider");
            }
            SignedJWT jwt = signer.sign(alg, JOSEObjectType.JWT, CLAIMS);
            assertThat(jwt.verify(jdkVerifierFor(TestKeys.keyRing().active(alg, NOW).orElseThrow().publicJwk())))
                    .as(alg + " signed by " + signer.providerName(alg) + " verifies with the JDK").isTrue();
        }
    }

    @Test
    void theJdkProvidersSignWhenChosenEvenIfCorrettoIsInstalled() throws Exception {
        CryptoProviders.configure(CryptoProviders.Mode.AUTO); // the worst case: Corretto first in the JVM
        Provider sunRsaSign = Security.getProvider("SunRsaSign");
        JwtSigner signer = new JwtSigner(TestKeys.keyRingSource(), sunRsaSign, CLOCK);

        assertThat(signer.providerName(JWSAlgorithm.RS256)).isEqualTo("SunRsaSign");
        assertThat(signer.providerName(JWSAlgorithm.PS256)).isEqualTo("SunRsaSign");
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256)) {
            SignedJWT jwt = signer.sign(alg, JOSEObjectType.JWT, CLAIMS);
            assertThat(jwt.verify(verifierFor(TestKeys.keyRing().active(alg, NOW).orElseThrow().publicJwk()))).isTrue();
        }

        JwtSigner ecSigner = new JwtSigner(TestKeys.keyRingSource(), Security.getProvider("SunEC"), CLOCK);
        assertThat(ecSigner.providerName(JWSAlgorithm.ES256)).isEqualTo("SunEC");
        assertThat(ecSigner.sign(JWSAlgorithm.ES256, JOSEObjectType.JWT, CLAIMS)
                .verify(verifierFor(TestKeys.keyRing().active(JWSAlgorithm.ES256, NOW).orElseThrow().publicJwk()))).isTrue();
    }

    @Test
    void anAlgorithmWithoutAnActiveKeyFailsWithAClearMessage() {
        SigningKey future = SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, NOW.plusSeconds(1));
        JwtSigner signer = new JwtSigner(() -> new KeyRing(List.of(future)), null, CLOCK);

        assertThatThrownBy(() -> signer.sign(JWSAlgorithm.RS256, JOSEObjectType.JWT, CLAIMS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no active RS256 signing key").hasMessageContaining("keys generate --alg RS256");
        assertThatThrownBy(() -> signer.sign(JWSAlgorithm.HS256, JOSEObjectType.JWT, CLAIMS))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPrePublishedKeyStartsSigningAtItsActivationTime() throws Exception {
        SigningKey old = SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, NOW.minusSeconds(3600));
        SigningKey next = SigningKey.fromKeyPair(TestKeys.rsa2048Second(), JWSAlgorithm.RS256, NOW.plusSeconds(60));
        KeyRing ring = new KeyRing(List.of(old, next));

        String before = new JwtSigner(() -> ring, null, CLOCK).sign(JWSAlgorithm.RS256, JOSEObjectType.JWT, CLAIMS).getHeader().getKeyID();
        String after = new JwtSigner(() -> ring, null, Clock.offset(CLOCK, java.time.Duration.ofSeconds(60)))
                .sign(JWSAlgorithm.RS256, JOSEObjectType.JWT, CLAIMS).getHeader().getKeyID();

        assertThat(before).isEqualTo(old.kid());
        assertThat(after).isEqualTo(next.kid());
    }

    @Test
    void oneSignerServesManyThreads() throws Exception {
        JwtSigner signer = new JwtSigner(TestKeys.keyRingSource(), CryptoProviders.configure("auto").provider(), CLOCK);
        JWSVerifier verifier = verifierFor(TestKeys.keyRing().active(JWSAlgorithm.ES256, NOW).orElseThrow().publicJwk());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                JWTClaimsSet claims = new JWTClaimsSet.Builder(CLAIMS).jwtID("jti-" + i).build();
                results.add(pool.submit(() -> signer.sign(JWSAlgorithm.ES256, JOSEObjectType.JWT, claims).verify(verifier)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static JWSVerifier verifierFor(JWK jwk) throws Exception {
        return jwk instanceof com.nimbusds.jose.jwk.ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier(jwk.toRSAKey());
    }

    /** A verifier pinned to the JDK's providers, so a Corretto signature is checked by independent code. */
    private static JWSVerifier jdkVerifierFor(JWK jwk) throws Exception {
        JWSVerifier verifier = verifierFor(jwk);
        verifier.getJCAContext().setProvider(Security.getProvider(jwk instanceof com.nimbusds.jose.jwk.ECKey ? "SunEC" : "SunRsaSign"));
        return verifier;
    }
}
