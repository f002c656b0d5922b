package dev.tessera.server.application.mfa;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The second sign-in step: who must give a TOTP code, and what a code given for a ticket achieves. A user with a
 * secret always gives one after the password, so no password-only session exists for them from that sign-in.
 */
public final class SecondFactorService {
    private final UserStore users;
    private final TotpSecrets secrets;
    private final TotpCheck check;
    private final SecondFactorTickets tickets;
    private final AuthenticationLevels levels;
    private final Clock clock;

    public SecondFactorService(UserStore users, TotpSecrets secrets, TotpCheck check, SecondFactorTickets tickets,
                               AuthenticationLevels levels, Clock clock) {
        this.users = users;
        this.secrets = secrets;
        this.check = check;
        this.tickets = tickets;
        this.levels = levels;
        this.clock = clock;
    }

    public boolean isEnrolled(String userId) {
        return secrets.isEnrolled(userId);
    }

    /** A ticket for the code step when the user has a second factor; empty when the password was enough. */
    public Optional<String> challengeFor(User user, String requestFingerprint) {
        return secrets.isEnrolled(user.id()) ? Optional.of(tickets.issue(user.id(), requestFingerprint)) : Optional.empty();
    }

    public sealed interface Outcome {
        record Passed(User user, AuthenticationEvent authentication) implements Outcome { }

        record WrongCode() implements Outcome { }

        record Replayed() implements Outcome { }

        record Throttled(Duration retryAfter) implements Outcome { }

        /** The ticket is forged, expired or for another request, or the user is gone: start again with the password. */
        record StartOver() implements Outcome { }

        /** The stored secret cannot be used (for example a replaced key file); an operator must look. */
        record Unavailable() implements Outcome { }
    }

    public Outcome complete(String ticket, String code, String requestFingerprint, String clientAddress) {
        Optional<User> user = tickets.userIdFrom(ticket, requestFingerprint)
                .flatMap(users::findById)
                .filter(User::enabled);
        if (user.isEmpty()) {
            return new Outcome.StartOver();
        }
        TotpCheck.Result result = check.verify(user.get().id(), code, clientAddress);
        if (result instanceof TotpCheck.Result.Accepted) {
            return new Outcome.Passed(user.get(), levels.multiFactor(clock.instant()));
        }
        if (result instanceof TotpCheck.Result.Throttled throttled) {
            return new Outcome.Throttled(throttled.retryAfter());
        }
        if (result instanceof TotpCheck.Result.Replayed) {
            return new Outcome.Replayed();
        }
        if (result instanceof TotpCheck.Result.Unavailable) {
            return new Outcome.Unavailable();
        }
        return new Outcome.WrongCode();
    }
}
