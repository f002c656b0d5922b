package dev.tessera.server.domain.authz;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The authentication context classes (acr) Tessera issues, from {@code acr.levels}: the first for a sign-in
 * with a password only, the second after a second factor. The amr values follow RFC 8176: {@code pwd}; and
 * {@code pwd otp mfa} once a one-time code was also given.
 *
 * <p>How strong a sign-in was is read from its amr, never from its acr string, so a session that began under
 * other {@code acr.levels} (or before them) is still judged by what the user actually did.
 */
public final class AuthenticationLevels {
    public static final String DEFAULT_PASSWORD = "urn:tessera:acr:pwd";
    public static final String DEFAULT_MULTI_FACTOR = "urn:tessera:acr:mfa";
    public static final List<String> PASSWORD_AMR = List.of("pwd");
    public static final List<String> MULTI_FACTOR_AMR = List.of("pwd", "otp", "mfa");
    /** Ranks: what a sign-in reached, and what a request asks for. */
    public static final int PASSWORD = 0;
    public static final int MULTI_FACTOR = 1;
    public static final int UNKNOWN = -1;

    private final String password;
    private final String multiFactor;

    /** @param levels exactly two distinct values: the password level, then the multi-factor level */
    public AuthenticationLevels(List<String> levels) {
        if (levels.size() != 2 || Objects.equals(levels.get(0), levels.get(1))) {
            throw new IllegalArgumentException("acr.levels needs exactly two different values");
        }
        this.password = Objects.requireNonNull(levels.get(0));
        this.multiFactor = Objects.requireNonNull(levels.get(1));
    }

    public static AuthenticationLevels defaults() {
        return new AuthenticationLevels(List.of(DEFAULT_PASSWORD, DEFAULT_MULTI_FACTOR));
    }

    /** For {@code acr_values_supported}: weakest first. */
    public List<String> values() {
        return List.of(password, multiFactor);
    }

    public AuthenticationEvent password(Instant at) {
        return new AuthenticationEvent(at, password, PASSWORD_AMR);
    }

    /** A sign-in that ended with a TOTP code (RFC 8176: otp, and mfa since a password came first). */
    public AuthenticationEvent multiFactor(Instant at) {
        return new AuthenticationEvent(at, multiFactor, MULTI_FACTOR_AMR);
    }

    /** What {@code authentication} reached, judged by its amr. */
    public int rankOf(AuthenticationEvent authentication) {
        return authentication != null && authentication.amr().contains("mfa") ? MULTI_FACTOR : PASSWORD;
    }

    /** The rank an acr value names, or {@link #UNKNOWN} for a value Tessera does not issue. */
    public int rankOf(String acr) {
        if (password.equals(acr)) {
            return PASSWORD;
        }
        return multiFactor.equals(acr) ? MULTI_FACTOR : UNKNOWN;
    }
}
