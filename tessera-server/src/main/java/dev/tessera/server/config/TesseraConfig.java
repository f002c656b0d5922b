package dev.tessera.server.config;

import java.util.List;

/**
 * The whole of {@code tessera.yaml} (SPEC §2), immutable. Build it with {@link ConfigLoader} from a file,
 * or with {@link #defaults(String)} and the {@code with*} copies in code ({@code serve --dev}, tests); run
 * {@link ConfigValidator#requireValid(TesseraConfig)} on a hand-built one.
 *
 * @param issuer the exact {@code iss} value and the base of every endpoint URL
 */
public record TesseraConfig(
        String issuer,
        HttpConfig http,
        MetricsConfig metrics,
        StorageConfig storage,
        KeysConfig keys,
        TokensConfig tokens,
        SubjectsConfig subjects,
        RegistrationConfig registration,
        TokenExchangeConfig tokenExchange,
        List<TrustedIssuerConfig> trustedIssuers,
        List<ClientConfig> clients,
        List<UserConfig> users,
        SessionsConfig sessions,
        PasswordsConfig passwords,
        AcrConfig acr) {

    public TesseraConfig {
        http = http == null ? HttpConfig.defaults() : http;
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        storage = storage == null ? StorageConfig.defaults() : storage;
        keys = keys == null ? KeysConfig.defaults() : keys;
        tokens = tokens == null ? TokensConfig.defaults() : tokens;
        subjects = subjects == null ? SubjectsConfig.defaults() : subjects;
        registration = registration == null ? RegistrationConfig.defaults() : registration;
        tokenExchange = tokenExchange == null ? TokenExchangeConfig.defaults() : tokenExchange;
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
        clients = clients == null ? List.of() : List.copyOf(clients);
        users = users == null ? List.of() : List.copyOf(users);
        sessions = sessions == null ? SessionsConfig.defaults() : sessions;
        passwords = passwords == null ? PasswordsConfig.defaults() : passwords;
        acr = acr == null ? AcrConfig.defaults() : acr;
    }

    /** Every SPEC §2 default, no clients and no users. */
    public static TesseraConfig defaults(String issuer) {
        return new TesseraConfig(issuer, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public TesseraConfig withIssuer(String value) {
        return new TesseraConfig(value, http, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withHttp(HttpConfig value) {
        return new TesseraConfig(issuer, value, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withMetrics(MetricsConfig value) {
        return new TesseraConfig(issuer, http, value, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withStorage(StorageConfig value) {
        return new TesseraConfig(issuer, http, metrics, value, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withKeys(KeysConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, value, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withTokens(TokensConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, value, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withSubjects(SubjectsConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, value, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withRegistration(RegistrationConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, value,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withTokenExchange(TokenExchangeConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, registration,
                value, trustedIssuers, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withTrustedIssuers(List<TrustedIssuerConfig> value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, value, clients, users, sessions, passwords, acr);
    }

    public TesseraConfig withClients(List<ClientConfig> value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, value, users, sessions, passwords, acr);
    }

    public TesseraConfig withUsers(List<UserConfig> value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, value, sessions, passwords, acr);
    }

    public TesseraConfig withSessions(SessionsConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, value, passwords, acr);
    }

    public TesseraConfig withPasswords(PasswordsConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, value, acr);
    }

    public TesseraConfig withAcr(AcrConfig value) {
        return new TesseraConfig(issuer, http, metrics, storage, keys, tokens, subjects, registration,
                tokenExchange, trustedIssuers, clients, users, sessions, passwords, value);
    }
}
