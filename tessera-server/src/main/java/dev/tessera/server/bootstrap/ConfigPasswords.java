package dev.tessera.server.bootstrap;

import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Argon2id hashes of clear-text passwords in the configuration ({@code users[].password}, as dev setups write
 * them), made on a thread of their own after start-up instead of before the server is ready: each costs as much as
 * a sign-in, and at start-up, before the JIT has compiled anything, several times that.
 *
 * <p>Until its hash is stored, such a user's row keeps the hash it had (none for a new user), so the password in
 * the file is not usable yet and a password that was replaced in the file may still be in the row. Sign-in therefore
 * reads users through {@link #awaiting}, which waits for the hashes first: no password is ever checked against a
 * row this has yet to write. The hashes are the ones {@link PasswordHasher#hash} makes, with its parameters, as
 * before; only the moment changes. A hash whose write fails (the database restarting at that moment) is written
 * again with growing pauses, and until it is, sign-in sees that user without a password: refused, never checked
 * against the row's earlier hash.
 */
final class ConfigPasswords {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigPasswords.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

    private final CompletableFuture<Void> stored = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    /** Users whose new hash could not be stored yet: their row may still hold a password the file replaced. */
    private final Set<String> unstored = ConcurrentHashMap.newKeySet();
    private final boolean nothingToDo;
    private final Duration firstRetry;
    private final Thread thread;
    private volatile boolean stopping;

    private ConfigPasswords(List<UserConfig> users, UserStore store, PasswordHasher hasher, Duration firstRetry) {
        this.nothingToDo = users.isEmpty();
        this.firstRetry = firstRetry;
        this.thread = new Thread(() -> hashAndStore(users, store, hasher), "tessera-config-passwords");
        thread.setDaemon(true); // a JVM that is exiting does not wait: the next start hashes again
    }

    private void hashAndStore(List<UserConfig> users, UserStore store, PasswordHasher hasher) {
        Map<String, String> hashes = new LinkedHashMap<>();
        try {
            for (UserConfig user : users) {
                char[] password = user.password().toCharArray();
                try {
                    hashes.put(user.id(), hasher.hash(password));
                } finally {
                    Arrays.fill(password, '\0');
                }
                unstored.add(user.id()); // before the write: a failed write leaves it masked
                storeOne(store, user.id(), hashes.get(user.id()));
            }
        } catch (RuntimeException e) {
            // Hashing itself failed (not the store): those users keep no usable configuration password.
            LOG.error("could not hash the configuration's passwords: {}", e.toString());
            users.stream().filter(user -> !hashes.containsKey(user.id())).forEach(user -> unstored.add(user.id()));
        } finally {
            stored.complete(null);
        }
        returnHashingMemory();
        retryUnstored(store, hashes);
    }

    /**
     * Each Argon2id hash works through 19 MiB of heap. Made just after start-up, most of that outlives the young
     * generation and is promoted, and the serial collector leaves garbage in the old generation until it fills: on a
     * server that then only issues tokens (~60 KiB each, nearly all dying young), for hours, holding some 20 MiB of
     * RSS it does not need (issue 10: RSS after warm-up). One full collection now, of a heap of a few tens of MiB,
     * returns it (a pause of tens of milliseconds, once; nothing with -XX:+DisableExplicitGC).
     */
    private static void returnHashingMemory() {
        System.gc();
    }

    /** Stores one hash; true when it is in the row (or the user is gone, so nothing is left to protect). */
    private boolean storeOne(UserStore store, String userId, String hash) {
        try {
            store.setPasswordHash(userId, hash); // only the hash: a change made meanwhile (a CLI disabling the user) stays
            unstored.remove(userId);
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not store the new password hash of configuration user {} (sign-in with a password is"
                    + " refused for that user until it is stored; retrying): {}", userId, e.toString());
            return false;
        }
    }

    /** A store that failed (a database restarting) is tried again with growing pauses until it takes the hashes. */
    private void retryUnstored(UserStore store, Map<String, String> hashes) {
        Duration pause = firstRetry;
        // A user whose password could not even be hashed has nothing to retry: refused until a restart.
        while (!stopping && unstored.stream().anyMatch(hashes::containsKey)) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return; // a stop: the next start hashes again
            }
            for (String userId : List.copyOf(unstored)) {
                String hash = hashes.get(userId);
                if (hash == null || stopping) {
                    continue;
                }
                if (storeOne(store, userId, hash)) {
                    LOG.info("stored the new password hash of configuration user {}", userId);
                }
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
        }
    }

    /** The hashing of {@code users}' clear-text passwords, to {@link #start} once the server is up. */
    static ConfigPasswords prepare(List<UserConfig> users, UserStore store, PasswordHasher hasher) {
        return prepare(users, store, hasher, FIRST_RETRY);
    }

    /** As {@link #prepare(List, UserStore, PasswordHasher)}, with the pause before the first retry of a failed write. */
    static ConfigPasswords prepare(List<UserConfig> users, UserStore store, PasswordHasher hasher, Duration firstRetry) {
        return new ConfigPasswords(List.copyOf(users), store, hasher, firstRetry);
    }

    /** Starts hashing on a thread of its own; after the server is ready, so the two do not compete for the CPU. */
    void start() {
        if (started.compareAndSet(false, true)) {
            if (nothingToDo) {
                stored.complete(null);
            } else {
                thread.start();
            }
        }
    }

    /** Blocks until every hash is stored or has failed once (a failed one is retried, its user masked meanwhile). */
    void await() {
        stored.join();
    }

    /** For a stop: waits for the hashes being stored, so the store does not close under them; drops them if not begun. */
    void finish() {
        if (started.compareAndSet(false, true)) {
            stored.complete(null); // the start failed before the server was up: the next start hashes
        } else {
            await();
            stopping = true;
            thread.interrupt(); // retries end with the store; the next start hashes again
        }
    }

    /** The user row a start writes before the hash exists: the configuration's user with the hash already stored. */
    static User withStoredHash(UserConfig user, UserStore store) {
        String kept = store.findById(user.id()).map(User::passwordHash).orElse(null);
        return ConfigToDomain.toUser(user, kept);
    }

    /** True for a user whose password {@link #prepare} is for. */
    static boolean hasClearTextPassword(UserConfig user) {
        return user.passwordHash() == null && user.password() != null;
    }

    /**
     * A user whose new hash is not stored yet, without a password: the row may still hold one the file replaced,
     * and a password that was taken out of the configuration must not keep working because a write failed.
     */
    private User masked(User user) {
        return unstored.contains(user.id()) ? user.withPasswordHash(null) : user;
    }

    /**
     * {@code users}, whose reads wait until every hash is stored (or failed once, then the user has no password
     * until a retry stores it): what sign-in checks passwords against.
     */
    UserStore awaiting(UserStore users) {
        return new UserStore() {
            @Override
            public void upsert(User user) {
                users.upsert(user);
            }

            @Override
            public boolean create(User user) {
                return users.create(user);
            }

            @Override
            public boolean setPasswordHash(String id, String passwordHash) {
                return users.setPasswordHash(id, passwordHash);
            }

            @Override
            public Optional<User> findById(String id) {
                await();
                return users.findById(id).map(ConfigPasswords.this::masked);
            }

            @Override
            public Optional<User> findByUsername(String username) {
                await();
                return users.findByUsername(username).map(ConfigPasswords.this::masked);
            }

            @Override
            public Optional<User> findByLink(String issuer, String subject) {
                await();
                return users.findByLink(issuer, subject).map(ConfigPasswords.this::masked);
            }

            @Override
            public List<User> list() {
                await();
                return users.list().stream().map(ConfigPasswords.this::masked).toList();
            }
        };
    }
}
