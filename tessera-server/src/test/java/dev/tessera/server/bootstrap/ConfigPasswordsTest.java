package dev.tessera.server.bootstrap;

import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.config.ConfigLoader;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.crypto.Argon2idPasswordHasher;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Clear-text passwords in the configuration are hashed after start-up, and sign-in (which reads users through
 * {@link ConfigPasswords#awaiting}) never checks a password against a row whose new hash is still being made.
 */
class ConfigPasswordsTest {
    private static final String NEW_PASSWORD = "the new password 123";
    private static final String OLD_PASSWORD = "the old password 456";
    private static final Duration QUICK = Duration.ofSeconds(5);

    private final Database database = StoreWiring.openInMemory();
    private final Stores stores = StoreWiring.jdbc(database);
    private final Argon2idPasswordHasher argon2 = new Argon2idPasswordHasher();
    private final GatedHasher gated = new GatedHasher(argon2);

    @AfterEach
    void close() {
        gated.release(); // nothing may stay blocked
        database.close();
    }

    @Test
    void theStartDoesNotWaitForTheHashAndSignInWaitsForItThenSeesOnlyTheNewPassword() throws Exception {
        String oldHash = argon2.hash(OLD_PASSWORD.toCharArray());
        stores.users().upsert(new User("u-alice", "alice", oldHash, List.of(), Map.of(), Map.of(), List.of(), true));

        ConfigPasswords passwords = assertTimeoutPreemptively(QUICK,
                () -> TesseraApp.provision(config("alice", "password: " + NEW_PASSWORD), stores, gated, null));
        passwords.start(); // what TesseraApp does once the server is up

        // Provisioned without the hash: the row keeps the one it had, and the file's other fields are in.
        User meanwhile = stores.users().findById("u-alice").orElseThrow();
        assertThat(meanwhile.passwordHash()).isEqualTo(oldHash);
        assertThat(meanwhile.roles()).containsExactly("admin");
        // Sign-in's read waits for the hash instead of seeing the old one.
        UserStore signIn = passwords.awaiting(stores.users());
        CompletableFuture<Optional<User>> read = CompletableFuture.supplyAsync(() -> signIn.findByUsername("alice"));
        gated.awaitHashing();
        Thread.sleep(200);
        assertThat(read).isNotDone();

        gated.release();

        String stored = read.get(QUICK.toSeconds(), TimeUnit.SECONDS).orElseThrow().passwordHash();
        assertThat(argon2.verify(NEW_PASSWORD.toCharArray(), stored)).isTrue();
        assertThat(argon2.verify(OLD_PASSWORD.toCharArray(), stored)).isFalse();
        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$"); // the parameters every hash gets
    }

    @Test
    void aChangeMadeToTheUserWhileTheHashIsMadeStays() {
        ConfigPasswords passwords = TesseraApp.provision(config("dave", "password: " + NEW_PASSWORD), stores, gated,
                null);
        passwords.start();
        // An operator disables the user (the CLI, another instance) before the hash is stored.
        stores.users().upsert(stores.users().findByUsername("dave").orElseThrow().withEnabled(false));

        gated.release();
        passwords.await();

        User dave = stores.users().findByUsername("dave").orElseThrow();
        assertThat(dave.enabled()).isFalse();
        assertThat(argon2.verify(NEW_PASSWORD.toCharArray(), dave.passwordHash())).isTrue();
    }

    @Test
    void aNewUserHasNoPasswordUntilItsHashIsStored() {
        ConfigPasswords passwords = TesseraApp.provision(config("bob", "password: " + NEW_PASSWORD), stores, gated,
                null);
        passwords.start();

        assertThat(stores.users().findByUsername("bob").orElseThrow().passwordHash()).isNull();
        gated.release();
        passwords.await();
        assertThat(argon2.verify(NEW_PASSWORD.toCharArray(),
                stores.users().findByUsername("bob").orElseThrow().passwordHash())).isTrue();
    }

    @Test
    void aHashInTheFileIsStoredAtOnceWithNothingLeftToDo() {
        String hash = argon2.hash(NEW_PASSWORD.toCharArray());

        ConfigPasswords passwords = TesseraApp.provision(config("carol", "passwordHash: '" + hash + "'"), stores,
                gated, null);
        passwords.start();

        assertThat(stores.users().findByUsername("carol").orElseThrow().passwordHash()).isEqualTo(hash);
        assertTimeoutPreemptively(QUICK, passwords::await);
        assertThat(gated.hashes).hasValue(0);
    }

    @Test
    void aStartThatFailsBeforeTheServerIsUpDropsTheHashingAndAStopWaitsForIt() {
        ConfigPasswords never = TesseraApp.provision(config("erin", "password: " + NEW_PASSWORD), stores, gated, null);
        assertTimeoutPreemptively(QUICK, never::finish); // not started: nothing to wait for
        assertThat(gated.hashes).hasValue(0);

        ConfigPasswords begun = TesseraApp.provision(config("erin", "password: " + NEW_PASSWORD), stores, gated, null);
        begun.start();
        CompletableFuture<Void> stop = CompletableFuture.runAsync(begun::finish);
        assertThat(stop).isNotDone();
        gated.release();
        assertTimeoutPreemptively(QUICK, () -> stop.join());
        assertThat(argon2.verify(NEW_PASSWORD.toCharArray(),
                stores.users().findByUsername("erin").orElseThrow().passwordHash())).isTrue();
    }

    @Test
    void aHashWriteThatFailsLeavesTheUserWithoutAPasswordUntilARetryStoresIt() throws Exception {
        String oldHash = argon2.hash(OLD_PASSWORD.toCharArray());
        stores.users().upsert(new User("u-frank", "frank", oldHash, List.of(), Map.of(), Map.of(), List.of(), true));
        FailingWrites store = new FailingWrites(stores.users()); // the database is away until the test says so
        ConfigPasswords passwords = ConfigPasswords.prepare(
                config("frank", "password: " + NEW_PASSWORD).users(), store, argon2, Duration.ofMillis(100));
        passwords.start();
        UserStore signIn = passwords.awaiting(stores.users());

        // After the failed write the row still holds the replaced password; sign-in must not accept it.
        User meanwhile = signIn.findByUsername("frank").orElseThrow();
        assertThat(stores.users().findByUsername("frank").orElseThrow().passwordHash()).isEqualTo(oldHash);
        assertThat(meanwhile.passwordHash()).isNull();
        assertThat(signIn.findById("u-frank").orElseThrow().passwordHash()).isNull();
        assertThat(signIn.list()).allSatisfy(user -> assertThat(user.passwordHash()).isNull());

        // The retry stores it once the database is back; from then on only the new password works.
        store.backUp();
        // The pauses between retries double from 100 ms: the next one comes at most as long after as the test took.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (signIn.findByUsername("frank").orElseThrow().passwordHash() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String stored = signIn.findByUsername("frank").orElseThrow().passwordHash();
        assertThat(stored).isNotNull();
        assertThat(argon2.verify(NEW_PASSWORD.toCharArray(), stored)).isTrue();
        assertThat(argon2.verify(OLD_PASSWORD.toCharArray(), stored)).isFalse();
        assertThat(store.attempts.get()).as("the first write failed, a retry stored it").isGreaterThan(1);
        passwords.finish();
    }

    @Test
    void aStopEndsTheRetriesOfAWriteThatKeepsFailing() throws Exception {
        FailingWrites store = new FailingWrites(stores.users()); // never back
        ConfigPasswords passwords = ConfigPasswords.prepare(
                config("gina", "password: " + NEW_PASSWORD).users(), store, argon2, Duration.ofMillis(20));
        passwords.start();
        passwords.await();
        // It keeps trying: a second attempt comes 20 ms after the first, later on a loaded machine.
        long deadline = System.nanoTime() + QUICK.toNanos();
        while (store.attempts.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.attempts.get()).isGreaterThan(1);

        assertTimeoutPreemptively(QUICK, passwords::finish);
        Thread.sleep(100); // a retry that was already inside the store may still end
        int afterStop = store.attempts.get();
        Thread.sleep(300);
        assertThat(store.attempts).hasValue(afterStop);
        assertThat(passwords.awaiting(stores.users()).findByUsername("gina")).isEmpty(); // never provisioned here
    }

    private static TesseraConfig config(String username, String passwordLine) {
        return ConfigLoader.parse("""
                issuer: https://id.example.com
                users:
                  - id: u-%s
                    username: %s
                    %s
                    roles: [admin]
                """.formatted(username, username, passwordLine), Map.of());
    }

    /** A user store whose password-hash writes fail, as during a database restart, until {@link #backUp}. */
    private static final class FailingWrites implements UserStore {
        private final UserStore real;
        private volatile boolean down = true;
        final AtomicInteger attempts = new AtomicInteger();

        FailingWrites(UserStore real) {
            this.real = real;
        }

        void backUp() {
            down = false;
        }

        @Override
        public boolean setPasswordHash(String id, String passwordHash) {
            attempts.incrementAndGet();
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            return real.setPasswordHash(id, passwordHash);
        }

        @Override
        public void upsert(User user) {
            real.upsert(user);
        }

        @Override
        public boolean create(User user) {
            return real.create(user);
        }

        @Override
        public Optional<User> findById(String id) {
            return real.findById(id);
        }

        @Override
        public Optional<User> findByUsername(String username) {
            return real.findByUsername(username);
        }

        @Override
        public Optional<User> findByLink(String issuer, String subject) {
            return real.findByLink(issuer, subject);
        }

        @Override
        public List<User> list() {
            return real.list();
        }
    }

    /** The real hasher, whose {@code hash} waits until the test lets it go on. */
    private static final class GatedHasher implements PasswordHasher {
        private final PasswordHasher real;
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger hashes = new AtomicInteger();

        GatedHasher(PasswordHasher real) {
            this.real = real;
        }

        void awaitHashing() throws InterruptedException {
            assertThat(started.await(QUICK.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            gate.countDown();
        }

        @Override
        public String hash(char[] password) {
            hashes.incrementAndGet();
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.hash(password);
        }

        @Override
        public boolean verify(char[] password, String phcHash) {
            return real.verify(password, phcHash);
        }

        @Override
        public void burnEquivalentTime(char[] password) {
            real.burnEquivalentTime(password);
        }
    }
}
