package dev.tessera.server.application.mfa;

import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turning on the second factor. On the page, a new secret is offered (QR code and text) and saved only once the
 * user has typed a code from it, so nobody ends up with a secret their phone does not hold; the offer travels
 * sealed in the form. An existing secret is never replaced from the page: a stolen session must not be able to
 * swap the factor, so that takes an operator ({@code tessera users totp remove}). The CLI enrols at once and
 * prints what the user scans.
 */
public final class TotpEnrolment {
    /** OWASP ASVS 2.x / 3.7.1: adding a factor is sensitive; the sign-in behind the page must be this recent. */
    public static final Duration RECENT_SIGN_IN = Duration.ofMinutes(15);

    private final TotpSecrets secrets;
    private final TotpCheck check;
    private final UserStore users;
    private final String issuerName;
    private final Clock clock;

    /** @param issuerName what authenticator apps show the account under (the issuer's host name) */
    public TotpEnrolment(TotpSecrets secrets, TotpCheck check, UserStore users, String issuerName, Clock clock) {
        this.secrets = secrets;
        this.check = check;
        this.users = users;
        this.issuerName = issuerName;
        this.clock = clock;
    }

    public sealed interface Access {
        record Allowed(User user) implements Access { }

        record NotSignedIn() implements Access { }

        /** Signed in, but longer ago than {@link #RECENT_SIGN_IN}. */
        record SignInAgain(User user) implements Access { }
    }

    /** Who may enrol from this browser: the enabled user of a live session that signed in recently. */
    public Access access(Optional<LoginSession> session) {
        Optional<User> user = session.flatMap(s -> users.findById(s.userId())).filter(User::enabled);
        if (user.isEmpty()) {
            return new Access.NotSignedIn();
        }
        Instant signedIn = session.get().authentication().authTime();
        return signedIn.isBefore(clock.instant().minus(RECENT_SIGN_IN))
                ? new Access.SignInAgain(user.get()) : new Access.Allowed(user.get());
    }

    /** A secret to scan: its key URI, its base32 text, and the sealed offer the confirming form sends back. */
    public record Offer(String keyUri, String secret, String sealedOffer) {
        @Override
        public String toString() {
            return "Offer[redacted]";
        }
    }

    public boolean isEnrolled(User user) {
        return secrets.isEnrolled(user.id());
    }

    public Offer offer(User user) {
        byte[] secret = TotpSecrets.newSecret();
        return offerOf(user, secret);
    }

    /** The same offer again (after a wrong code), or empty when the sealed offer is not this user's. */
    public Optional<Offer> reoffer(User user, String sealedOffer) {
        return secrets.openOffer(user.id(), sealedOffer).map(secret -> offerOf(user, secret));
    }

    public sealed interface Result {
        record Enrolled() implements Result { }

        record WrongCode() implements Result { }

        record Throttled(Duration retryAfter) implements Result { }

        record AlreadyEnrolled() implements Result { }

        /** The offer is damaged or someone else's: show a new one. */
        record StartOver() implements Result { }
    }

    public Result confirm(User user, String sealedOffer, String code, String clientAddress) {
        if (secrets.isEnrolled(user.id())) {
            return new Result.AlreadyEnrolled();
        }
        Optional<byte[]> secret = secrets.openOffer(user.id(), sealedOffer == null ? "" : sealedOffer);
        if (secret.isEmpty()) {
            return new Result.StartOver();
        }
        TotpCheck.Result checked = check.verifyCandidate(user.id(), secret.get(), code, clientAddress);
        if (checked instanceof TotpCheck.Result.Throttled throttled) {
            return new Result.Throttled(throttled.retryAfter());
        }
        if (!(checked instanceof TotpCheck.Result.Accepted)) {
            return new Result.WrongCode(); // a replayed step of a fresh secret is a code typed twice: ask for the next
        }
        secrets.enrol(user.id(), secret.get(), "page");
        return new Result.Enrolled();
    }

    /** {@code tessera users totp enroll}: a new secret, saved at once; the operator hands over what is printed. */
    public Offer enrolNow(User user) {
        byte[] secret = TotpSecrets.newSecret();
        secrets.enrol(user.id(), secret, "cli");
        return new Offer(TotpSecrets.keyUri(issuerName, user.username(), secret), Base32.encode(secret), null);
    }

    public boolean remove(User user) {
        return secrets.remove(user.id(), "cli");
    }

    private Offer offerOf(User user, byte[] secret) {
        return new Offer(TotpSecrets.keyUri(issuerName, user.username(), secret), Base32.encode(secret),
                secrets.sealOffer(user.id(), secret));
    }
}
