package dev.tessera.server.config;

import java.time.Duration;

/**
 * Token lifetimes and the server-wide access token format.
 *
 * @param refreshTokenTtl        sliding: each rotation extends the family up to {@code refreshTokenMaxTtl}
 * @param refreshTokenReuseGrace 0s to 60s; a retry with the just-rotated token inside it gets a fresh successor
 * @param accessTokenFormat      {@value #FORMAT_JWT} or {@value #FORMAT_OPAQUE}
 */
public record TokensConfig(Duration accessTokenTtl, Duration idTokenTtl, Duration refreshTokenTtl,
                           Duration refreshTokenMaxTtl, Duration authorizationCodeTtl, Duration idJagTtl,
                           Duration refreshTokenReuseGrace, String accessTokenFormat) {
    public static final String FORMAT_JWT = "jwt";
    public static final String FORMAT_OPAQUE = "opaque";
    public static final Duration MAX_REUSE_GRACE = Duration.ofSeconds(60);

    public static TokensConfig defaults() {
        return new TokensConfig(Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofDays(30),
                Duration.ofDays(90), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ZERO, FORMAT_JWT);
    }

    /** For a validated config: the parsed {@code accessTokenFormat}. */
    public Choices.TokenFormat parsedAccessTokenFormat() {
        return Choices.require(Choices.TokenFormat.class, accessTokenFormat, "tokens.accessTokenFormat");
    }

    public TokensConfig withAccessTokenFormat(String value) {
        return new TokensConfig(accessTokenTtl, idTokenTtl, refreshTokenTtl, refreshTokenMaxTtl, authorizationCodeTtl,
                idJagTtl, refreshTokenReuseGrace, value);
    }

    public TokensConfig withRefreshTokenReuseGrace(Duration value) {
        return new TokensConfig(accessTokenTtl, idTokenTtl, refreshTokenTtl, refreshTokenMaxTtl, authorizationCodeTtl,
                idJagTtl, value, accessTokenFormat);
    }
}
