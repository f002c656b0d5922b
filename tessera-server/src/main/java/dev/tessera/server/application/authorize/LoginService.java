package dev.tessera.server.application.authorize;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.RateLimitStore;
import dev.tessera.server.application.port.RateLimitStore.Attempt;
import dev.tessera.server.application.port.RateLimitStore.Backoff;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Password sign-in. Every failure looks the same to the caller (unknown user, wrong password, disabled
 * account) and costs the same Argon2id work. Each attempt is counted per username and per client address in
 * the shared store BEFORE the password is checked (SPEC §10), so a parallel burst cannot slip past the limit
 * and the limit holds across instances; past the free attempts each one waits longer, and the wait is told.
 */
public final class LoginService {
    /** Per username: a person mistyping gets 5 tries, then 1 s, 2 s, 4 s ... at most 5 minutes apart. */
    static final Backoff PER_USER = new Backoff(5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
    /** Per client address (IPv6 by /64): room for a shared office address; successful sign-ins are taken back. */
    static final Backoff PER_ADDRESS = new Backoff(50, Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15));

    private final UserStore users;
    private final PasswordHasher hasher;
    private final RateLimitStore rateLimits;
    private final PasswordCheckLimiter checks;
    private final Backoff perUser;
    private final Backoff perAddress;
    private final AuthenticationLevels levels;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;

    public LoginService(UserStore users, PasswordHasher hasher, RateLimitStore rateLimits, PasswordCheckLimiter checks,
                        AuthenticationLevels levels, AuditLog audit, Metrics metrics, Clock clock) {
        this(users, hasher, rateLimits, checks, PER_USER, PER_ADDRESS, levels, audit, metrics, clock);
    }

    LoginService(UserStore users, PasswordHasher hasher, RateLimitStore rateLimits, PasswordCheckLimiter checks,
                 Backoff perUser, Backoff perAddress, AuthenticationLevels levels, AuditLog audit, Metrics metrics,
                 Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.rateLimits = rateLimits;
        this.checks = checks;
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.levels = levels;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public sealed interface Result {
        record Success(User user, AuthenticationEvent authentication) implements Result { }

        record Failure() implements Result { }

        /** Too many attempts for this username or address: the next one is counted after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Result { }

        /** Every password-check slot stayed taken: nothing was checked, the person should simply try again. */
        record Busy() implements Result { }
    }

    /** @param clientAddress the throttling key of the client address (IPv6 already cut to its /64) */
    public Result login(String username, char[] password, String clientAddress) {
        try {
            String userKey = "login:user:" + normalise(username);
            String addressKey = "login:addr:" + clientAddress;
            Attempt byAddress = rateLimits.attempt(addressKey, perAddress, clock.instant());
            if (byAddress instanceof Attempt.Wait wait) {
                return throttled(username, clientAddress, wait.retryAfter());
            }
            Attempt byUser = rateLimits.attempt(userKey, perUser, clock.instant());
            if (byUser instanceof Attempt.Wait wait) {
                rateLimits.forgive(addressKey); // no password was checked for it
                return throttled(username, clientAddress, wait.retryAfter());
            }
            Optional<Checked> checked = checks.run(() -> check(username, password));
            if (checked.isEmpty()) {
                rateLimits.forgive(addressKey);
                rateLimits.forgive(userKey);
                metrics.login("busy");
                return new Result.Busy();
            }
            if (checked.get().user() != null) {
                User user = checked.get().user();
                rateLimits.reset(userKey);
                rateLimits.forgive(addressKey);
                metrics.login("success");
                audit.record("login_success", Map.of("user_id", user.id(), "address", clientAddress));
                return new Result.Success(user, levels.password(clock.instant()));
            }
            metrics.login(checked.get().failure());
            audit.record("login_failure", Map.of("username", normalise(username), "address", clientAddress));
            return new Result.Failure();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * The enabled user whose password this is, or why not (for /metrics only: the person gets one message for
     * every failure), after the same Argon2id work either way.
     */
    private Checked check(String username, char[] password) {
        Optional<User> user = username == null || username.isBlank()
                ? Optional.empty()
                : users.findByUsername(username.trim());
        if (user.isPresent() && user.get().passwordHash() != null) {
            if (!hasher.verify(password, user.get().passwordHash())) {
                return new Checked(null, "bad_password");
            }
            return user.get().enabled() ? new Checked(user.get(), null) : new Checked(null, "disabled_user");
        }
        hasher.burnEquivalentTime(password);
        return new Checked(null, "unknown_user");
    }

    /** @param user the signed-in user, or null; @param failure otherwise the result /metrics counts */
    private record Checked(User user, String failure) { }

    private Result throttled(String username, String clientAddress, Duration retryAfter) {
        metrics.login("throttled");
        audit.record("login_throttled", Map.of("username", normalise(username), "address", clientAddress,
                "retry_after_seconds", retryAfter.toSeconds()));
        return new Result.Throttled(retryAfter);
    }

    private static String normalise(String username) {
        if (username == null) {
            return "";
        }
        String trimmed = username.trim().toLowerCase(Locale.ROOT);
        return trimmed.length() > 128 ? trimmed.substring(0, 128) : trimmed;
    }
}
