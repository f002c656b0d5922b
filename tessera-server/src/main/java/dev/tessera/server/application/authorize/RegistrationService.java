package dev.tessera.server.application.authorize;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.RateLimitStore;
import dev.tessera.server.application.port.RateLimitStore.Attempt;
import dev.tessera.server.application.port.RateLimitStore.Backoff;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.user.EmailAddress;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.domain.user.Username;

import java.nio.CharBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Self-service sign-up ({@code registration.enabled}). Every attempt is counted per client address in the shared
 * store before anything else, like sign-in, so neither account creation nor the username-taken answer (which
 * necessarily tells whether a name exists) can be driven fast from one address. Hashing shares the sign-in's
 * bound on concurrent Argon2id work. The new user goes in with one atomic create, so of two people racing for
 * one name exactly one gets it.
 */
public final class RegistrationService {
    /**
     * Per client address (IPv6 by /64): ten sign-ups or typos in a row, then 30 s, 1 min, 2 min ... at most
     * 15 minutes apart; forgotten an hour after the last one.
     */
    static final Backoff PER_ADDRESS = new Backoff(10, Duration.ofSeconds(30), Duration.ofMinutes(15),
            Duration.ofHours(1));

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordPolicy passwords;
    private final RateLimitStore rateLimits;
    private final PasswordCheckLimiter hashing;
    private final Backoff perAddress;
    private final AuditLog audit;
    private final Clock clock;

    public RegistrationService(UserStore users, PasswordHasher hasher, PasswordPolicy passwords,
                               RateLimitStore rateLimits, PasswordCheckLimiter hashing, AuditLog audit, Clock clock) {
        this(users, hasher, passwords, rateLimits, hashing, PER_ADDRESS, audit, clock);
    }

    RegistrationService(UserStore users, PasswordHasher hasher, PasswordPolicy passwords, RateLimitStore rateLimits,
                        PasswordCheckLimiter hashing, Backoff perAddress, AuditLog audit, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.passwords = passwords;
        this.rateLimits = rateLimits;
        this.hashing = hashing;
        this.perAddress = perAddress;
        this.audit = audit;
        this.clock = clock;
    }

    /** The fields of the form; the password is a char array so it can be wiped once hashed. */
    public record Application(String username, String email, char[] password) {
        @Override
        public String toString() {
            return "Application[" + username + "]";
        }
    }

    public enum Field { USERNAME, EMAIL, PASSWORD }

    public sealed interface Result {
        record Registered(User user) implements Result { }

        /** Nothing was created; each field's problem in words for the page, in form order. */
        record Invalid(Map<Field, String> problems) implements Result {
            public Invalid {
                problems = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(problems));
            }
        }

        /** Someone has the name (perhaps only a moment ago, in a parallel sign-up). */
        record UsernameTaken() implements Result { }

        /** Too many sign-ups from this address: the next is counted after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Result { }

        /** Every hashing slot stayed taken: nothing was created; the person should simply try again. */
        record Busy() implements Result { }
    }

    public Result register(Application application, String clientAddress) {
        char[] password = application.password();
        try {
            String addressKey = "register:addr:" + clientAddress;
            if (rateLimits.attempt(addressKey, perAddress, clock.instant()) instanceof Attempt.Wait wait) {
                audit.record("registration_throttled", Map.of("address", clientAddress,
                        "retry_after_seconds", wait.retryAfter().toSeconds()));
                return new Result.Throttled(wait.retryAfter());
            }
            String username = application.username() == null ? "" : application.username().strip();
            String email = application.email() == null ? "" : application.email().strip();
            Map<Field, String> problems = new LinkedHashMap<>();
            Username.problem(username).ifPresent(problem -> problems.put(Field.USERNAME, problem));
            EmailAddress.problem(email).ifPresent(problem -> problems.put(Field.EMAIL, problem));
            passwords.problem(CharBuffer.wrap(password))
                    .ifPresent(problem -> problems.put(Field.PASSWORD, "The password " + problem + "."));
            if (!problems.isEmpty()) {
                return new Result.Invalid(problems);
            }
            if (users.findByUsername(username).isPresent()) {
                return new Result.UsernameTaken(); // the common case, answered without hashing
            }
            Optional<String> hash = hashing.run(() -> hasher.hash(password));
            if (hash.isEmpty()) {
                rateLimits.forgive(addressKey);
                return new Result.Busy();
            }
            Map<String, Object> claims = Map.of("email", email, "email_verified", false,
                    "preferred_username", username);
            // A random subject: unlike a name-derived id, it says nothing about the username and is never reused.
            User user = new User(UUID.randomUUID().toString(), username, hash.get(), List.of(), claims, Map.of(),
                    List.of(), true);
            if (!users.create(user)) {
                return new Result.UsernameTaken();
            }
            audit.record("user_registered", Map.of("user_id", user.id(), "username", username,
                    "address", clientAddress));
            return new Result.Registered(user);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
