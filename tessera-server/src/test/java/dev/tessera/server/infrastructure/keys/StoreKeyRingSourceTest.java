package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.SigningKeyStore;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.testsupport.MutableClock;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring read from the store: what another instance adds is served after the next scheduled reload. */
class StoreKeyRingSourceTest {
    private final MutableClock clock = MutableClock.startingAt2030();
    private final KeyEncryptionKey kek = randomKek();
    private Database database;
    private SigningKeyStore store;

    private static KeyEncryptionKey randomKek() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new KeyEncryptionKey(bytes, "keys.encryptionKey");
    }

    @BeforeEach
    void open() {
        database = StoreWiring.openInMemory();
        store = StoreWiring.signingKeys(database, kek);
        store.add(SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, clock.instant()), clock.instant());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aKeyAnotherInstanceAddedIsServedAfterTheNextScheduledReloadAndTheTaskRunsFirst() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        try (StoreKeyRingSource ring = StoreKeyRingSource.load(store, clock)
                .startReloading(Duration.ofMillis(50), ticks::incrementAndGet)) {
            SigningKey added = SigningKey.fromKeyPair(TestKeys.ecP256(), JWSAlgorithm.ES256, clock.instant());
            StoreWiring.signingKeys(database, kek).add(added, clock.instant()); // as another instance would

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ring.current().byKid(added.kid()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(ring.current().byKid(added.kid())).isPresent();
            assertThat(ticks.get()).isPositive();
        }
    }

    @Test
    void aNewKeyThatDoesNotOpenIsRefusedAndThePreviousRingStaysInService() {
        StoreKeyRingSource ring = StoreKeyRingSource.load(store, clock);
        String before = ring.current().published().get(0).kid();
        StoreWiring.signingKeys(database, randomKek())
                .add(SigningKey.fromKeyPair(TestKeys.ecP256(), JWSAlgorithm.ES256, clock.instant()), clock.instant());

        assertThat(ring.reloadIfChanged()).isFalse();

        assertThat(ring.current().published()).extracting(SigningKey::kid).containsExactly(before);
    }

    @Test
    void aRefusedChangeIsTriedAgainAtTheNextReloadEvenIfTheStoreDidNotChange() {
        StoreKeyRingSource ring = StoreKeyRingSource.load(store, clock);
        String before = ring.current().published().get(0).kid();
        SigningKey later = SigningKey.fromKeyPair(TestKeys.ecP256(), JWSAlgorithm.ES256, clock.instant().plus(Duration.ofHours(1)));
        store.add(later, clock.instant());
        store.retire(before, clock.instant());
        assertThat(ring.reloadIfChanged()).as("no key active yet").isFalse();
        assertThat(ring.current().published()).extracting(SigningKey::kid).containsExactly(before);

        clock.advance(Duration.ofHours(2));

        assertThat(ring.reloadIfChanged()).as("the same keys, now with one active").isTrue();
        assertThat(ring.current().published()).extracting(SigningKey::kid).containsExactly(later.kid());
    }

    @Test
    void aRetiredKeyLeavesTheRingAtTheNextReload() {
        SigningKey second = SigningKey.fromKeyPair(TestKeys.rsa2048Second(), JWSAlgorithm.RS256, clock.instant().plusSeconds(1));
        store.add(second, clock.instant());
        clock.advance(Duration.ofSeconds(1));
        StoreKeyRingSource ring = StoreKeyRingSource.load(store, clock);
        String first = SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, clock.instant()).kid();

        store.retire(first, clock.instant());

        assertThat(ring.reloadIfChanged()).isTrue();
        assertThat(ring.current().published()).extracting(SigningKey::kid).containsExactly(second.kid());
    }

    @Test
    void aTokenFromAKeyAnotherInstanceJustAddedFindsItAtOnceWithoutWaitingForTheSchedule() {
        StoreKeyRingSource ring = StoreKeyRingSource.load(store, clock);
        SigningKey added = SigningKey.fromKeyPair(TestKeys.ecP256(), JWSAlgorithm.ES256, clock.instant());
        StoreWiring.signingKeys(database, kek).add(added, clock.instant()); // another instance, signing from now

        assertThat(ring.current().byKid(added.kid())).as("not reloaded yet").isEmpty();
        assertThat(ring.forVerifying(added.kid()).byKid(added.kid())).isPresent();
        assertThat(ring.current().byKid(added.kid())).as("and served from now on").isPresent();
    }

    @Test
    void madeUpKidsCheckTheStoreAtMostOncePerSpacing() throws Exception {
        AtomicInteger listings = new AtomicInteger();
        SigningKeyStore counting = (SigningKeyStore) java.lang.reflect.Proxy.newProxyInstance(
                SigningKeyStore.class.getClassLoader(), new Class<?>[] {SigningKeyStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("list")) {
                        listings.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        StoreKeyRingSource ring = StoreKeyRingSource.load(counting, clock);
        String known = ring.current().published().get(0).kid();
        int afterLoad = listings.get();

        assertThat(ring.forVerifying(known).byKid(known)).isPresent();
        assertThat(listings.get()).as("a known kid needs no query").isEqualTo(afterLoad);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThat(ring.forVerifying("made-up-" + i).byKid("made-up-" + i)).isEmpty();
        }
        long spacings = (System.nanoTime() - start) / StoreKeyRingSource.UNKNOWN_KID_SPACING.toNanos();
        assertThat(listings.get() - afterLoad).as("1000 made-up kids").isBetween(1, 1 + (int) spacings);
        int before = listings.get();
        Thread.sleep(StoreKeyRingSource.UNKNOWN_KID_SPACING.toMillis() + 50);
        ring.forVerifying("made-up-again");
        assertThat(listings.get()).as("after the spacing").isEqualTo(before + 1);
    }
}
