package dev.tessera.resourceserver;

import static dev.tessera.resourceserver.testsupport.TokenMint.AUDIENCE;
import static dev.tessera.resourceserver.testsupport.TokenMint.accessToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.RSAKey;
import dev.tessera.resourceserver.testsupport.FakeIssuer;
import dev.tessera.resourceserver.testsupport.TokenMint;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS cache: rotation is picked up, unknown kids cannot turn the validator into a request amplifier. */
class KeyRotationTest {
    private static RSAKey oldKey;
    private static RSAKey newKey;
    private static RSAKey attackerKey;

    private FakeIssuer issuer;
    private TokenValidator validator;

    @BeforeAll
    static void keys() {
        oldKey = TokenMint.rsaKey("2026-01");
        newKey = TokenMint.rsaKey("2026-02");
        attackerKey = TokenMint.rsaKey("unused");
    }

    @BeforeEach
    void start() {
        issuer = new FakeIssuer();
        issuer.publish(oldKey);
        validator = TokenValidator.forJwksUri(issuer.jwksUri()).issuer(issuer.issuer()).audience(AUDIENCE).build();
    }

    @AfterEach
    void stop() {
        validator.close();
        issuer.close();
    }

    private String token(RSAKey key) {
        return accessToken(key, issuer.issuer(), Instant.now());
    }

    @Test
    void acceptsTokensSignedWithANewKeyOnceItAppearsInTheJwks() throws Exception {
        validator.validate(token(oldKey));
        issuer.publish(oldKey, newKey);

        assertThat(validator.validate(token(newKey)).subject()).isEqualTo("user-42");
        assertThat(validator.validate(token(oldKey)).subject()).isEqualTo("user-42");
        assertThat(issuer.jwksFetches()).isEqualTo(2);
    }

    @Test
    void refusesAKidThatIsStillUnknownAfterTheRefetch() throws Exception {
        validator.validate(token(oldKey));

        TokenValidationException refused = catchThrowableOfType(TokenValidationException.class,
                () -> validator.validate(token(newKey)));

        assertThat(refused.error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(issuer.jwksFetches()).isEqualTo(2);
    }

    @Test
    void aFloodOfUnknownKidsFetchesTheJwksAtMostTwiceWithinTheRateLimitWindow() throws Exception {
        validator.validate(token(oldKey));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BearerError>> outcomes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                RSAKey randomKid = new RSAKey.Builder(attackerKey).keyID(UUID.randomUUID().toString()).build();
                String forged = token(randomKid);
                outcomes.add(pool.submit(() -> catchThrowableOfType(TokenValidationException.class,
                        () -> validator.validate(forged)).error()));
            }
            for (Future<BearerError> outcome : outcomes) {
                assertThat(outcome.get()).isEqualTo(BearerError.INVALID_TOKEN);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(issuer.jwksFetches()).isBetween(1, 2);
        assertThat(validator.validate(token(oldKey)).subject()).as("known keys keep working").isEqualTo("user-42");
    }

    @Test
    void aRotationStillWorksAfterTheRateLimitWindowHasPassed() throws Exception {
        validator.close();
        validator = TokenValidator.forJwksUri(issuer.jwksUri()).issuer(issuer.issuer()).audience(AUDIENCE)
                .unknownKidRefetchMinInterval(Duration.ofMillis(300)).build();
        validator.validate(token(oldKey));
        long started = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            catchThrowableOfType(TokenValidationException.class, () -> validator.validate(token(newKey))); // not published yet
        }
        long loopMillis = (System.nanoTime() - started) / 1_000_000;
        issuer.publish(oldKey, newKey);
        Thread.sleep(400);

        assertThat(validator.validate(token(newKey)).subject()).isEqualTo("user-42");
        // At most one refetch per 300 ms window: 3 on a quiet machine, a few more when the loop itself is slow.
        assertThat(issuer.jwksFetches()).isLessThanOrEqualTo(3 + (int) (loopMillis / 300));
    }

    @Test
    void refreshesTheJwksPeriodicallyWithoutAnyTraffic() throws Exception {
        validator.close();
        validator = TokenValidator.forJwksUri(issuer.jwksUri()).issuer(issuer.issuer()).audience(AUDIENCE)
                .httpTimeouts(Duration.ofMillis(200), Duration.ofMillis(200))
                .jwksRefreshInterval(Duration.ofMillis(1600))
                .unknownKidRefetchMinInterval(Duration.ofMillis(100))
                .build();
        validator.validate(token(oldKey));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (issuer.jwksFetches() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(issuer.jwksFetches()).isGreaterThanOrEqualTo(3);
    }
}
