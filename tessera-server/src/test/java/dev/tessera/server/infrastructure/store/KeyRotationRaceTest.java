package dev.tessera.server.infrastructure.store;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyEvents;
import dev.tessera.server.application.keys.KeyRotation;
import dev.tessera.server.application.keys.RotationSchedule;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.SigningKeyGenerator;
import dev.tessera.server.application.port.SigningKeyStore;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.testsupport.MutableClock;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances' key rotations racing on one PostgreSQL, each with its own pool as separate processes would
 * have: exactly one generates the next key, and a run after it finds nothing to do.
 */
class KeyRotationRaceTest {
    private static final int INSTANCES = 6;
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final List<Database> pools = new ArrayList<>();
    private static KeyEncryptionKey kek;

    @BeforeAll
    static void openPools() throws Exception {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        kek = new KeyEncryptionKey(bytes, "keys.encryptionKey");
        PostgresTestDatabase.Server server = PostgresTestDatabase.server();
        for (int i = 0; i < INSTANCES; i++) {
            pools.add(Database.postgres(server.urlForSchema("tessera_rotation_race"), server.username(), server.password()));
        }
        try (Connection c = pools.get(0).dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE TABLE signing_keys, key_rotation_lock");
        }
    }

    @AfterAll
    static void closePools() {
        pools.forEach(Database::close);
    }

    @Test
    void instancesRacingToRotateOnOnePostgresqlGenerateExactlyOneKey() throws Exception {
        SigningKeyStore first = StoreWiring.signingKeys(pools.get(0), kek);
        first.add(SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, T0), T0);
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(83)));
        AtomicInteger generated = new AtomicInteger();
        SigningKeyGenerator slowGenerator = (alg, activatesAt) -> {
            generated.incrementAndGet();
            sleep(300); // as long as a real RSA generation, so the racers overlap
            return SigningKey.fromKeyPair(TestKeys.rsa2048Second(), alg, activatesAt);
        };
        RotationSchedule schedule = RotationSchedule.automatic(Duration.ofDays(90), Duration.ofDays(7), Duration.ofMinutes(15));
        List<KeyRotation> rotations = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            rotations.add(new KeyRotation(StoreWiring.signingKeys(pools.get(i), kek), slowGenerator, schedule,
                    new KeyEvents((event, fields) -> { }), clock, "instance-" + i));
        }

        List<KeyRotation.Outcome> outcomes = race(rotations);

        assertThat(generated).hasValue(1);
        assertThat(outcomes).filteredOn(o -> !o.generated().isEmpty()).hasSize(1);
        assertThat(first.list()).hasSize(2);
        assertThat(first.published()).extracting(SigningKey::activatesAt)
                .containsExactly(T0, T0.plus(Duration.ofDays(90)));
        assertThat(race(rotations)).allSatisfy(o -> assertThat(o.generated()).isEmpty());
        assertThat(generated).as("the next runs see the pending key").hasValue(1);
    }

    private static List<KeyRotation.Outcome> race(List<KeyRotation> rotations) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(rotations.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<KeyRotation.Outcome>> futures = new ArrayList<>();
            for (KeyRotation rotation : rotations) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return rotation.runOnce();
                }));
            }
            go.countDown();
            List<KeyRotation.Outcome> outcomes = new ArrayList<>();
            for (Future<KeyRotation.Outcome> future : futures) {
                outcomes.add(future.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
