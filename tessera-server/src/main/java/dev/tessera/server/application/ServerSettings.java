package dev.tessera.server.application;

import dev.tessera.server.domain.client.AccessTokenFormat;

import java.time.Duration;

/**
 * The server-wide values the use cases need, taken from the configuration by the composition root.
 *
 * @param issuer exact value of {@code iss}; base of all endpoint URLs
 * @param sessionTtl the absolute lifetime of a browser session ({@code sessions.maxLifetime}), also the cookie's
 * @param secureCookies true when the issuer is https, so cookies get the Secure attribute
 */
public record ServerSettings(String issuer, Duration accessTokenTtl, Duration idTokenTtl, Duration refreshTokenTtl,
                             Duration refreshTokenMaxTtl, Duration authorizationCodeTtl, Duration idJagTtl,
                             Duration refreshTokenReuseGrace, AccessTokenFormat accessTokenFormat, String pairwiseSalt,
                             Duration sessionTtl, boolean secureCookies) {

    public String endpoint(String path) {
        return issuer.endsWith("/") ? issuer + path.substring(1) : issuer + path;
    }
}
