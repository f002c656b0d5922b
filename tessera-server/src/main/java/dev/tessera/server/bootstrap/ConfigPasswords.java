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

    private final CompletableFuture<Void> stored;

    private ConfigPasswords(CompletableFuture<Void> stored) {
        this.stored = stored;
    }

    /** Hashes and stores the clear-text passwords of {@code users} in the background (nothing to do: done at once). */
    static ConfigPasswords hashInBackground(List<UserConfig> users, UserStore store, PasswordHasher hasher) {
        if (users.isEmpty()) {
            return new ConfigPasswords(CompletableFuture.completedFuture(null));
        }
        CompletableFuture<Void> stored = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
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
        thread.start();
        return new ConfigPasswords(stored);
    }

    /** The user row a start writes before the hash exists: the configuration's user with the hash already stored. */
    static User withStoredHash(UserConfig user, UserStore store) {
        String kept = store.findById(user.id()).map(User::passwordHash).orElse(null);
        return ConfigToDomain.toUser(user, kept);
    }

    /** True for a user whose password {@link #hashInBackground} must hash. */
    static boolean hasClearTextPassword(UserConfig user) {
        return user.passwordHash() == null && user.password() != null;
    }

    /** Blocks until every hash is stored (or storing failed). */
    void await() {
        stored.join();
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
