package dev.tessera.server.application.port;

/** Every store the application needs, handed over as one value by the composition root. */
public record Stores(ClientStore clients, UserStore users, AuthorizationCodeStore codes, RefreshTokenStore refreshTokens,
                     AccessTokenStore accessTokens, ConsentStore consents, SessionStore sessions, UsedJtiStore usedJtis,
                     RateLimitStore rateLimits, Transactor transactor, ServerSecretStore secrets,
                     TotpSecretStore totpSecrets, TotpStepStore totpSteps) {
}
