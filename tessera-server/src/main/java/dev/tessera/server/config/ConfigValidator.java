package dev.tessera.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Semantic checks over a whole {@link TesseraConfig}, collecting every problem with its key path (dex
 * Validate). {@link ConfigLoader} runs it on every file; run {@link #requireValid} on a config built in code.
 * Messages never repeat configured values.
 */
public final class ConfigValidator {
    static final Duration MAX_AUTHORIZATION_CODE_TTL = Duration.ofMinutes(10);

    private ConfigValidator() {
    }

    /** @throws ConfigException when there is at least one problem */
    public static TesseraConfig requireValid(TesseraConfig config) {
        List<String> problems = validate(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** Every problem as {@code key.path: message}; empty when the config is usable. */
    public static List<String> validate(TesseraConfig config) {
        Problems problems = new Problems();
        issuer(config.issuer(), problems);
        http(config.http(), problems);
        metrics(config.metrics(), config.http(), problems);
        sessions(config.sessions(), problems);
        passwords(config.passwords(), problems);
        acr(config.acr(), problems);
        storage(config.storage(), problems);
        keys(config.keys(), problems);
        tokens(config.tokens(), problems);
        tokenExchange(config.tokenExchange(), problems);
        Map<String, ClientConfig> clients = new ClientRules(config, problems).check();
        trustedIssuers(config, clients, problems);
        new UserRules(trustedIssuerIds(config.trustedIssuers()), config.passwords(), problems).check(config.users());
        return problems.lines();
    }

    /**
     * The problems of one account link against these trusted issuers, as {@code issuer: message} or
     * {@code subject: message}; empty when {@code tessera users link} may store it. The same rule as
     * {@code users[].links}, so the CLI cannot store a link that the file would refuse.
     */
    public static List<String> accountLinkProblems(AccountLinkConfig link, List<TrustedIssuerConfig> trustedIssuers) {
        Problems problems = new Problems();
        UserRules.link(link, "", trustedIssuerIds(trustedIssuers), problems);
        return problems.lines();
    }

    /**
     * The problems of one client on its own, keyed relative to it ({@code redirectUris[0]: message}); empty
     * when {@code tessera clients add} may store it. The same rules as {@code clients[]}, so the CLI cannot
     * store a client the file would refuse.
     */
    public static List<String> clientProblems(ClientConfig client, TesseraConfig context) {
        Problems problems = new Problems();
        new ClientRules(context.withClients(List.of(client)), problems)
                .checkOne(client, "", client.id() == null ? Set.of() : Set.of(client.id()));
        return problems.lines();
    }

    private static Set<String> trustedIssuerIds(List<TrustedIssuerConfig> trustedIssuers) {
        Set<String> ids = new HashSet<>();
        for (TrustedIssuerConfig trusted : trustedIssuers) {
            if (trusted.issuer() != null) {
                ids.add(trusted.issuer());
            }
        }
        return ids;
    }

    private static void issuer(String issuer, Problems problems) {
        if (issuer == null || issuer.isBlank()) {
            problems.add("issuer", "is required");
            return;
        }
        Optional<URI> parsed = UriRules.absolute(issuer);
        if (parsed.isEmpty() || !UriRules.isHttpUrl(parsed.get())) {
            problems.add("issuer", "must be an absolute http(s) URL");
            return;
        }
        URI uri = parsed.get();
        // OIDC Discovery §3 / RFC 8414 §2: no query or fragment in the issuer identifier.
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add("issuer", "must not have a query or fragment");
        }
        if (uri.getRawUserInfo() != null) {
            problems.add("issuer", "must not contain user information");
        }
        if (!UriRules.isSecureOrLoopback(uri)) {
            problems.add("issuer", "must use https unless its host is loopback (127.0.0.0/8, ::1, localhost)");
        }
    }

    private static void http(HttpConfig http, Problems problems) {
        if (http.host() == null || http.host().isBlank()) {
            problems.add("http.host", "must not be empty");
        }
        if (http.port() < 0 || http.port() > 65_535) {
            problems.add("http.port", "must be between 0 and 65535");
        }
        List<String> proxies = http.trustedProxies();
        for (int i = 0; i < proxies.size(); i++) {
            if (!AddressRanges.isValid(proxies.get(i))) {
                problems.add(Problems.element("http.trustedProxies", i),
                        "must be an IP address or a CIDR range, such as 10.0.0.0/8 or 2001:db8::/32");
            }
        }
        if (http.shutdownGrace().isNegative() || http.shutdownGrace().compareTo(HttpConfig.MAX_SHUTDOWN_GRACE) > 0) {
            problems.add("http.shutdownGrace", "must be between 0s and " + Durations.format(HttpConfig.MAX_SHUTDOWN_GRACE)
                    + " (how long requests in flight may finish after SIGTERM)");
        }
    }

    private static void sessions(SessionsConfig sessions, Problems problems) {
        boolean idleOk = positive("sessions.idleTimeout", sessions.idleTimeout(), problems);
        boolean maxOk = positive("sessions.maxLifetime", sessions.maxLifetime(), problems);
        if (idleOk && maxOk && sessions.idleTimeout().compareTo(sessions.maxLifetime()) > 0) {
            problems.add("sessions.idleTimeout", "must not be longer than sessions.maxLifetime");
        }
    }

    private static void passwords(PasswordsConfig passwords, Problems problems) {
        if (passwords.minLength() < PasswordsConfig.LOWEST_MIN_LENGTH
                || passwords.minLength() > PasswordsConfig.HIGHEST_MIN_LENGTH) {
            problems.add("passwords.minLength", "must be between " + PasswordsConfig.LOWEST_MIN_LENGTH + " and "
                    + PasswordsConfig.HIGHEST_MIN_LENGTH);
        }
    }

    // Two levels: the password one and the second-factor one. acr_values is space-delimited (OIDC Core
    // §3.1.2.1), so a value with white space could never be asked for.
    private static void acr(AcrConfig acr, Problems problems) {
        List<String> levels = acr.levels();
        if (levels.size() != 2) {
            problems.add("acr.levels", "must list exactly two values: the password level, then the second-factor level");
        }
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level == null || level.isBlank()) {
                problems.add(Problems.element("acr.levels", i), "must not be empty");
            } else if (!level.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                problems.add(Problems.element("acr.levels", i), "must be printable ASCII without spaces");
            } else if (levels.indexOf(level) != i) {
                problems.add(Problems.element("acr.levels", i), "repeats an earlier level");
            }
        }
    }

    private static void metrics(MetricsConfig metrics, HttpConfig http, Problems problems) {
        if (metrics.port() < 0 || metrics.port() > 65_535) {
            problems.add("metrics.port", "must be between 0 and 65535 (0 serves /metrics on the main port)");
        } else if (metrics.port() != 0 && metrics.port() == http.port()) {
            problems.add("metrics.port", "must differ from http.port");
        }
        if (metrics.host().isEmpty()) {
            return;
        }
        if (!UriRules.isListenHost(metrics.host())) {
            problems.add("metrics.host", "must be an IP address or host name to listen on");
        } else if (metrics.port() == 0) {
            problems.add("metrics.host", "is only used with metrics.port (without it /metrics is served on the main port)");
        }
    }

    private static final int MAX_POOL_SIZE = 200;
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    private static void storage(StorageConfig storage, Problems problems) {
        if (StorageConfig.H2.equals(storage.type())) {
            if (storage.path() == null || storage.path().toString().isBlank()) {
                problems.add("storage.path", "is required for h2");
            }
            if (storage.url() != null) {
                problems.add("storage.url", "is only used with type postgres");
            }
        } else if (StorageConfig.POSTGRES.equals(storage.type())) {
            if (storage.url() == null || storage.url().isBlank()) {
                problems.add("storage.url", "is required for postgres");
            } else if (!storage.url().startsWith("jdbc:postgresql:")) {
                problems.add("storage.url", "must be a JDBC URL starting with jdbc:postgresql:");
            }
        } else {
            problems.add("storage.type", "must be h2 or postgres");
        }
        if (storage.poolSize() < 1 || storage.poolSize() > MAX_POOL_SIZE) {
            problems.add("storage.poolSize", "must be between 1 and " + MAX_POOL_SIZE);
        }
        // HikariCP's lower bound; above a few seconds a request would hang on a dead database, which is what the
        // setting exists to prevent.
        if (storage.connectionTimeout().compareTo(MIN_CONNECTION_TIMEOUT) < 0
                || storage.connectionTimeout().compareTo(MAX_CONNECTION_TIMEOUT) > 0) {
            problems.add("storage.connectionTimeout", "must be between 250ms and 30s");
        }
    }

    private static void keys(KeysConfig keys, Problems problems) {
        if (keys.dir() == null || keys.dir().toString().isBlank()) {
            problems.add("keys.dir", "must not be empty");
        }
        if (!KeysConfig.PROVIDER_AUTO.equals(keys.provider()) && !KeysConfig.PROVIDER_JDK.equals(keys.provider())) {
            problems.add("keys.provider", "must be auto or jdk");
        }
        if (!KeysConfig.SOURCE_DIRECTORY.equals(keys.source()) && !KeysConfig.SOURCE_STORE.equals(keys.source())) {
            problems.add("keys.source", "must be directory or store");
        }
        if (keys.fromStore()) {
            if (keys.encryptionKey() == null || keys.encryptionKey().isBlank()) {
                problems.add("keys.encryptionKey", "is required with keys.source: store; set it to 32 random bytes"
                        + " in base64 (openssl rand -base64 32), usually through ${TESSERA_KEY_ENCRYPTION_KEY}, or to file:PATH");
            } else {
                KeyEncryptionKeyFormat.problem(keys.encryptionKey()).ifPresent(p -> problems.add("keys.encryptionKey", p));
            }
        } else if (keys.encryptionKey() != null) {
            problems.add("keys.encryptionKey", "applies to keys.source: store only");
        }
        if (keys.reloadInterval() != null) {
            if (!keys.fromStore()) {
                problems.add("keys.reloadInterval", "applies to keys.source: store only (a key directory is checked every 5s)");
            } else if (keys.reloadInterval().compareTo(KeysConfig.MIN_RELOAD_INTERVAL) < 0
                    || keys.reloadInterval().compareTo(KeysConfig.MAX_RELOAD_INTERVAL) > 0) {
                problems.add("keys.reloadInterval", "must be between 1s and 60s: every instance must see a new key"
                        + " within a minute");
            }
        }
        KeyRotationConfig rotation = keys.rotation();
        if (rotation != null) {
            if (!keys.fromStore()) {
                // Instances sharing a directory have no lock to agree on which of them generates the next key.
                problems.add("keys.rotation", "needs keys.source: store");
            }
            boolean everyOk = positive("keys.rotation.every", rotation.every(), problems);
            if (positive("keys.rotation.prePublish", rotation.prePublish(), problems)) {
                if (rotation.prePublish().compareTo(KeyRotationConfig.MIN_PRE_PUBLISH) < 0) {
                    problems.add("keys.rotation.prePublish", "must be at least 5m, the time verifiers may cache the JWKS");
                } else if (everyOk && rotation.prePublish().compareTo(rotation.every()) >= 0) {
                    problems.add("keys.rotation.prePublish", "must be shorter than keys.rotation.every");
                }
            }
        }
    }

    private static void tokens(TokensConfig tokens, Problems problems) {
        positive("tokens.accessTokenTtl", tokens.accessTokenTtl(), problems);
        positive("tokens.idTokenTtl", tokens.idTokenTtl(), problems);
        boolean refreshOk = positive("tokens.refreshTokenTtl", tokens.refreshTokenTtl(), problems);
        boolean maxOk = positive("tokens.refreshTokenMaxTtl", tokens.refreshTokenMaxTtl(), problems);
        if (refreshOk && maxOk && tokens.refreshTokenMaxTtl().compareTo(tokens.refreshTokenTtl()) < 0) {
            problems.add("tokens.refreshTokenMaxTtl", "must be at least tokens.refreshTokenTtl");
        }
        if (positive("tokens.authorizationCodeTtl", tokens.authorizationCodeTtl(), problems)
                && tokens.authorizationCodeTtl().compareTo(MAX_AUTHORIZATION_CODE_TTL) > 0) {
            // RFC 6749 §4.1.2: a maximum authorization code lifetime of 10 minutes is RECOMMENDED.
            problems.add("tokens.authorizationCodeTtl", "must be at most 10m (RFC 6749 section 4.1.2)");
        }
        positive("tokens.idJagTtl", tokens.idJagTtl(), problems);
        Duration grace = tokens.refreshTokenReuseGrace();
        if (grace == null) {
            problems.add("tokens.refreshTokenReuseGrace", "is required");
        } else if (grace.isNegative()) {
            problems.add("tokens.refreshTokenReuseGrace", "must not be negative");
        } else if (grace.compareTo(TokensConfig.MAX_REUSE_GRACE) > 0) {
            problems.add("tokens.refreshTokenReuseGrace", "must be at most 60s");
        }
        accessTokenFormat("tokens.accessTokenFormat", tokens.accessTokenFormat(), problems);
    }

    private static void tokenExchange(TokenExchangeConfig exchange, Problems problems) {
        List<String> types = exchange.tokenTypes();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            String path = Problems.element("tokenExchange.tokenTypes", i);
            // The list names what an exchange issues (requested_token_type), not what it accepts as a subject.
            if (TokenExchangeConfig.KNOWN_TYPES.contains(type) && !TokenExchangeConfig.ISSUABLE_TYPES.contains(type)) {
                problems.add(path, "ID and refresh tokens are only accepted as subject tokens, never issued by an "
                        + "exchange; list urn:ietf:params:oauth:token-type:access_token or "
                        + "urn:ietf:params:oauth:token-type:id-jag");
            } else if (!TokenExchangeConfig.ISSUABLE_TYPES.contains(type)) {
                problems.add(path, "must be urn:ietf:params:oauth:token-type:access_token or "
                        + "urn:ietf:params:oauth:token-type:id-jag");
            }
        }
    }

    private static void trustedIssuers(TesseraConfig config, Map<String, ClientConfig> clients, Problems problems) {
        Map<String, Integer> seen = new HashMap<>();
        List<TrustedIssuerConfig> issuers = config.trustedIssuers();
        for (int i = 0; i < issuers.size(); i++) {
            TrustedIssuerConfig trusted = issuers.get(i);
            String path = Problems.element("trustedIssuers", i);
            String issuerPath = Problems.child(path, "issuer");
            Optional<URI> issuer = UriRules.absolute(trusted.issuer());
            if (trusted.issuer() == null || trusted.issuer().isBlank()) {
                problems.add(issuerPath, "is required");
            } else if (issuer.isEmpty() || !UriRules.isHttpUrl(issuer.get()) || issuer.get().getRawFragment() != null) {
                problems.add(issuerPath, "must be an absolute http(s) URL without a fragment");
            } else if (trusted.issuer().equals(config.issuer())) {
                problems.add(issuerPath, "must not be Tessera's own issuer");
            } else if (seen.putIfAbsent(trusted.issuer(), i) != null) {
                problems.add(issuerPath, "is listed twice (also trustedIssuers[" + seen.get(trusted.issuer()) + "])");
            }
            String jwksPath = Problems.child(path, "jwksUri");
            Optional<URI> jwks = UriRules.absolute(trusted.jwksUri());
            if (trusted.jwksUri() == null || trusted.jwksUri().isBlank()) {
                problems.add(jwksPath, "is required");
            } else if (jwks.isEmpty() || !UriRules.isSecureOrLoopback(jwks.get())) {
                problems.add(jwksPath, "must be an absolute https URL (http only on a loopback host)");
            }
            positive(Problems.child(path, "maxAssertionLifetime"), trusted.maxAssertionLifetime(), problems);
            List<String> allowed = trusted.allowedClients();
            for (int k = 0; k < allowed.size(); k++) {
                allowedClient(clients.get(allowed.get(k)), Problems.element(Problems.child(path, "allowedClients"), k),
                        problems);
            }
        }
    }

    // SPEC §6: the jwt-bearer grant is for confidential clients that list it; anything else could never redeem
    // this issuer's assertions. The reverse (a jwt-bearer client no issuer lists) is valid: it gets invalid_grant.
    private static void allowedClient(ClientConfig client, String path, Problems problems) {
        if (client == null) {
            problems.add(path, "no client has this id");
        } else if (client.publicClient()) {
            problems.add(path, "is a public client; only confidential clients may use the jwt-bearer grant");
        } else if (!client.grantTypes().contains(ClientConfig.JWT_BEARER)) {
            problems.add(path, "this client's grantTypes lack " + ClientConfig.JWT_BEARER);
        }
    }

    static boolean positive(String path, Duration duration, Problems problems) {
        if (duration == null) {
            problems.add(path, "is required");
            return false;
        }
        if (duration.isNegative() || duration.isZero()) {
            problems.add(path, "must be longer than 0s");
            return false;
        }
        return true;
    }

    static void accessTokenFormat(String path, String format, Problems problems) {
        if (Choices.parse(Choices.TokenFormat.class, format).isEmpty()) {
            problems.add(path, Choices.mustBeOneOf(Choices.TokenFormat.class));
        }
    }
}
