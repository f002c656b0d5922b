package dev.tessera.server.bootstrap;

import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * before; only the moment changes.
 */
final class ConfigPasswords {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigPasswords.class);

    private final CompletableFuture<Void> stored = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final boolean nothingToDo;
    private final Thread thread;

    private ConfigPasswords(List<UserConfig> users, UserStore store, PasswordHasher hasher) {
        this.nothingToDo = users.isEmpty();
        this.thread = new Thread(() -> {
            try {
                for (UserConfig user : users) {
                    // Only the hash: whatever else changed in the row since start-up (a CLI disabling the user) stays.
                    char[] password = user.password().toCharArray();
                    try {
                        store.setPasswordHash(user.id(), hasher.hash(password));
                    } finally {
                        Arrays.fill(password, '\0');
                    }
                }
            } catch (RuntimeException e) {
                // The rows keep their earlier hash; sign-in goes on (and fails for a password never stored).
                LOG.error("could not store the hashes of the configuration's passwords: {}", e.toString());
            } finally {
                stored.complete(null);
            }
        }, "tessera-config-passwords");
        thread.setDaemon(true); // a JVM that is exiting does not wait: the next start hashes again
    }

    /** The hashing of {@code users}' clear-text passwords, to {@link #start} once the server is up. */
    static ConfigPasswords prepare(List<UserConfig> users, UserStore store, PasswordHasher hasher) {
        return new ConfigPasswords(List.copyOf(users), store, hasher);
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

    /** Blocks until every hash is stored (or storing failed). */
    void await() {
        stored.join();
    }

    /** For a stop: waits for the hashes being stored, so the store does not close under them; drops them if not begun. */
    void finish() {
        if (started.compareAndSet(false, true)) {
            stored.complete(null); // the start failed before the server was up: the next start hashes
        } else {
            await();
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

    /** {@code users}, whose reads wait until every hash is stored: what sign-in checks passwords against. */
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
                return users.findById(id);
            }

            @Override
            public Optional<User> findByUsername(String username) {
                await();
                return users.findByUsername(username);
            }

            @Override
            public Optional<User> findByLink(String issuer, String subject) {
                await();
                return users.findByLink(issuer, subject);
            }

            @Override
            public List<User> list() {
                await();
                return users.list();
            }
        };
    }
}
