package dev.tessera.server.application.authorize;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.RateLimitStore;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Password sign-in. Every failure looks the same to the caller (unknown user, wrong password, disabled
 * account) and costs the same Argon2id work. Failures are counted per username and per address in the
 * shared store, so the limit holds across instances.
 */
public final class LoginService {
    static final int MAX_FAILURES_PER_USER = 10;
    static final int MAX_FAILURES_PER_ADDRESS = 50;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final UserStore users;
    private final PasswordHasher hasher;
    private final RateLimitStore rateLimits;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;

    public LoginService(UserStore users, PasswordHasher hasher, RateLimitStore rateLimits, AuditLog audit,
                        Metrics metrics, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.rateLimits = rateLimits;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public sealed interface Result {
        record Success(User user, AuthenticationEvent authentication) implements Result { }

        record Failure() implements Result { }

        record Throttled() implements Result { }
    }

    public Result login(String username, char[] password, String clientAddress) {
        try {
            String userKey = "login:user:" + normalise(username);
            String addressKey = "login:addr:" + clientAddress;
            if (rateLimits.count(userKey, WINDOW, clock.instant()) >= MAX_FAILURES_PER_USER
                    || rateLimits.count(addressKey, WINDOW, clock.instant()) >= MAX_FAILURES_PER_ADDRESS) {
                metrics.login("throttled");
                audit.record("login_throttled", Map.of("username", normalise(username), "address", clientAddress));
                return new Result.Throttled();
            }
            Optional<User> user = username == null || username.isBlank()
                    ? Optional.empty()
                    : users.findByUsername(username.trim());
            boolean verified;
            if (user.isPresent() && user.get().passwordHash() != null) {
                verified = hasher.verify(password, user.get().passwordHash());
            } else {
                hasher.burnEquivalentTime(password);
                verified = false;
            }
            if (verified && user.get().enabled()) {
                rateLimits.reset(userKey);
                metrics.login("success");
                audit.record("login_success", Map.of("user_id", user.get().id(), "address", clientAddress));
                return new Result.Success(user.get(), AuthenticationEvent.password(clock.instant()));
            }
            rateLimits.hit(userKey, WINDOW, clock.instant());
            rateLimits.hit(addressKey, WINDOW, clock.instant());
            metrics.login("failure");
            audit.record("login_failure", Map.of("username", normalise(username), "address", clientAddress));
            return new Result.Failure();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static String normalise(String username) {
        if (username == null) {
            return "";
        }
        String trimmed = username.trim().toLowerCase(Locale.ROOT);
        return trimmed.length() > 128 ? trimmed.substring(0, 128) : trimmed;
    }
}
