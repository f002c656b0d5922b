package dev.tessera.server.application.authorize;

import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.RateLimitStore.Backoff;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Password sign-in against a real store: the throttle counts before the hash check, and hashing is bounded. */
class LoginServiceTest {
    private static final String PASSWORD = "alice's correct password";
    private static final Backoff FIVE_FREE = new Backoff(5, Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15));
    private static final Backoff GENEROUS = new Backoff(1000, Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15));

    private final MutableClock clock = MutableClock.startingAt2030();
    private final CountingHasher hasher = new CountingHasher(Duration.ofMillis(50));
    private Database database;
    private Stores stores;

    @BeforeEach
    void openStore() {
        database = StoreWiring.openInMemory();
        stores = StoreWiring.jdbc(database);
        for (String name : List.of("alice", "bob", "carol")) {
            stores.users().upsert(new User("u-" + name, name, "hash:" + PASSWORD, List.of(), Map.of(), Map.of(),
                    List.of(), true));
        }
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    private LoginService service(Backoff perUser, Backoff perAddress, PasswordCheckLimiter limiter) {
        return new LoginService(stores.users(), hasher, stores.rateLimits(), limiter, perUser, perAddress,
                AuthenticationLevels.defaults(), (event, fields) -> { }, Metrics.NONE, clock);
    }

    private LoginService service() {
        return service(FIVE_FREE, GENEROUS, new PasswordCheckLimiter(30, Duration.ofSeconds(30)));
    }

    private static LoginService.Result login(LoginService logins, String username, String password) {
        return logins.login(username, password.toCharArray(), "192.0.2.10");
    }

    @Test
    void concurrentWrongPasswordsCannotExceedTheLimit() throws Exception {
        LoginService logins = service();

        List<LoginService.Result> results = concurrently(30, () -> login(logins, "alice", "wrong password"));

        assertThat(hasher.checks.get()).as("password checks").isEqualTo(5);
        assertThat(results).filteredOn(LoginService.Result.Failure.class::isInstance).hasSize(5);
        assertThat(results).filteredOn(LoginService.Result.Throttled.class::isInstance).hasSize(25);
    }

    @Test
    void eachAttemptPastTheFreeOnesWaitsTwiceAsLongAsTheLast() {
        LoginService logins = service();
        for (int i = 0; i < 5; i++) {
            assertThat(login(logins, "alice", "wrong " + i)).isInstanceOf(LoginService.Result.Failure.class);
        }
        List<Duration> waits = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            LoginService.Result refused = login(logins, "alice", PASSWORD);
            assertThat(refused).isInstanceOf(LoginService.Result.Throttled.class);
            waits.add(((LoginService.Result.Throttled) refused).retryAfter());
            clock.advance(waits.get(round));
            assertThat(login(logins, "alice", "wrong again")).isInstanceOf(LoginService.Result.Failure.class);
        }

        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8));
        assertThat(hasher.checks.get()).as("no check while waiting").isEqualTo(9);
    }

    @Test
    void theRightPasswordAfterTheWaitSignsInAndStartsTheCountAfresh() {
        LoginService logins = service();
        for (int i = 0; i < 5; i++) {
            login(logins, "alice", "wrong " + i);
        }
        assertThat(login(logins, "alice", PASSWORD)).isInstanceOf(LoginService.Result.Throttled.class);

        clock.advance(Duration.ofSeconds(1));

        assertThat(login(logins, "alice", PASSWORD)).isInstanceOf(LoginService.Result.Success.class);
        for (int i = 0; i < 5; i++) {
            assertThat(login(logins, "alice", "wrong " + i)).isInstanceOf(LoginService.Result.Failure.class);
        }
    }

    @Test
    void theAddressLimitHoldsAcrossUsernamesButSuccessfulSignInsAreNotHeldAgainstIt() {
        LoginService logins = service(GENEROUS, FIVE_FREE, new PasswordCheckLimiter(4, Duration.ofSeconds(5)));
        for (int i = 0; i < 10; i++) {
            assertThat(login(logins, "bob", PASSWORD)).isInstanceOf(LoginService.Result.Success.class);
        }
        for (String name : List.of("alice", "bob", "carol", "dave", "erin")) {
            assertThat(login(logins, name, "one common password")).isInstanceOf(LoginService.Result.Failure.class);
        }

        assertThat(login(logins, "frank", "one common password")).isInstanceOf(LoginService.Result.Throttled.class);
        assertThat(login(logins, "carol", PASSWORD)).isInstanceOf(LoginService.Result.Throttled.class);
    }

    @Test
    void excessConcurrentChecksWaitBrieflyThenAreTurnedAwayAsBusyWithoutBeingCounted() throws Exception {
        CountingHasher slow = new CountingHasher(Duration.ofMillis(700));
        LoginService logins = new LoginService(stores.users(), slow, stores.rateLimits(),
                new PasswordCheckLimiter(1, Duration.ofMillis(100)), FIVE_FREE, GENEROUS, AuthenticationLevels.defaults(),
                (event, fields) -> { },
                Metrics.NONE, clock);

        List<LoginService.Result> results = concurrently(3, () -> login(logins, "alice", "wrong password"));

        assertThat(slow.checks.get()).isEqualTo(1);
        assertThat(results).filteredOn(LoginService.Result.Busy.class::isInstance).hasSize(2);
        assertThat(slow.maxConcurrent.get()).isEqualTo(1);
        // the two turned away cost alice nothing: four more tries before any wait
        for (int i = 0; i < 4; i++) {
            assertThat(login(logins, "alice", "wrong " + i)).isInstanceOf(LoginService.Result.Failure.class);
        }
        assertThat(login(logins, "alice", "wrong 5")).isInstanceOf(LoginService.Result.Throttled.class);
    }

    @Test
    void aCheckThatFindsAFreeSlotWithinTheWaitGoesAhead() throws Exception {
        LoginService logins = service(FIVE_FREE, GENEROUS, new PasswordCheckLimiter(1, Duration.ofSeconds(20)));

        List<LoginService.Result> results = concurrently(3, () -> login(logins, "bob", PASSWORD));

        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(LoginService.Result.Success.class));
        assertThat(hasher.maxConcurrent.get()).isEqualTo(1);
    }

    static <T> List<T> concurrently(int threads, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** "hash:" + password; each check takes a little while, as Argon2id does, so a burst overlaps. */
    static final class CountingHasher implements PasswordHasher {
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        private final AtomicInteger running = new AtomicInteger();
        private final Duration pause;

        CountingHasher(Duration pause) {
            this.pause = pause;
        }

        @Override
        public String hash(char[] password) {
            return "hash:" + new String(password);
        }

        @Override
        public boolean verify(char[] password, String phcHash) {
            work();
            return phcHash.equals("hash:" + new String(password));
        }

        @Override
        public void burnEquivalentTime(char[] password) {
            work();
        }

        private void work() {
            checks.incrementAndGet();
            maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        }
    }
}
