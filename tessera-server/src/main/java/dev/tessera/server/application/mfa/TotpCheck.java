package dev.tessera.server.application.mfa;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.RateLimitStore;
import dev.tessera.server.application.port.RateLimitStore.Attempt;
import dev.tessera.server.application.port.RateLimitStore.Backoff;
import dev.tessera.server.application.port.SecretCipher;
import dev.tessera.server.application.port.TotpStepStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Checks a user's TOTP code. Like the password (SPEC §10), each attempt is counted in the shared throttle
 * before the code is looked at, so parallel guesses cannot slip past the limit: three codes are valid at any
 * moment, so unthrottled guessing would win in about 330,000 tries. A code's time step is then spent in the
 * store with one atomic insert (RFC 6238 §5.2), so the same code never works twice, however many submit it.
 */
public final class TotpCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TotpCheck.class);
    /** Per user: 5 free tries, then 1 s, 2 s, 4 s ... at most 5 minutes apart. */
    static final Backoff PER_USER = new Backoff(5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15));

    private final TotpSecrets secrets;
    private final TotpStepStore steps;
    private final RateLimitStore rateLimits;
    private final Backoff perUser;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;

    public TotpCheck(TotpSecrets secrets, TotpStepStore steps, RateLimitStore rateLimits, AuditLog audit,
                     Metrics metrics, Clock clock) {
        this(secrets, steps, rateLimits, PER_USER, audit, metrics, clock);
    }

    TotpCheck(TotpSecrets secrets, TotpStepStore steps, RateLimitStore rateLimits, Backoff perUser, AuditLog audit,
              Metrics metrics, Clock clock) {
        this.secrets = secrets;
        this.steps = steps;
        this.rateLimits = rateLimits;
        this.perUser = perUser;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public sealed interface Result {
        record Accepted() implements Result { }

        record Wrong() implements Result { }

        /** The code was right but its time step was already used: wait for the next code. */
        record Replayed() implements Result { }

        record Throttled(Duration retryAfter) implements Result { }

        /** No secret, or one that cannot be opened (wrong key file): nothing the person can fix by typing. */
        record Unavailable() implements Result { }
    }

    /** Checks {@code code} against the user's stored secret. */
    public Result verify(String userId, String code, String clientAddress) {
        return check(userId, code, clientAddress, () -> secrets.secretOf(userId));
    }

    /** Checks {@code code} against a secret being enrolled: the same throttle and the same single use of steps. */
    public Result verifyCandidate(String userId, byte[] candidate, String code, String clientAddress) {
        return check(userId, code, clientAddress, () -> Optional.of(candidate.clone()));
    }

    private Result check(String userId, String code, String clientAddress, Supplier<Optional<byte[]>> secretSource) {
        String key = "totp:user:" + userId;
        Instant now = clock.instant();
        if (rateLimits.attempt(key, perUser, now) instanceof Attempt.Wait wait) {
            return record("totp_throttled", userId, clientAddress, new Result.Throttled(wait.retryAfter()));
        }
        Optional<byte[]> secret;
        try {
            secret = secretSource.get();
        } catch (SecretCipher.SealedSecretException e) {
            LOG.error("the TOTP secret of user {} cannot be opened: {}", userId, e.getMessage());
            rateLimits.forgive(key);
            return record("totp_unavailable", userId, clientAddress, new Result.Unavailable());
        }
        if (secret.isEmpty()) {
            rateLimits.forgive(key);
            return record("totp_unavailable", userId, clientAddress, new Result.Unavailable());
        }
        OptionalLong step;
        try {
            step = Totp.matchingStep(secret.get(), code, now);
        } finally {
            Arrays.fill(secret.get(), (byte) 0);
        }
        if (step.isEmpty()) {
            return record("totp_failure", userId, clientAddress, new Result.Wrong());
        }
        if (!steps.markUsed(userId, step.getAsLong(), Totp.acceptedUntil(step.getAsLong()))) {
            return record("totp_replayed", userId, clientAddress, new Result.Replayed());
        }
        rateLimits.reset(key);
        return record("totp_success", userId, clientAddress, new Result.Accepted());
    }

    private Result record(String event, String userId, String clientAddress, Result result) {
        metrics.login("otp_" + event.substring("totp_".length()));
        audit.record(event, Map.of("user_id", userId, "address", clientAddress));
        return result;
    }
}
