package dev.tessera.server.bootstrap;

import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.authorize.AuthorizationRequestValidator;
import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.application.authorize.LoginService;
import dev.tessera.server.application.authorize.PasswordCheckLimiter;
import dev.tessera.server.application.authorize.RegistrationService;
import dev.tessera.server.application.authorize.SessionService;
import dev.tessera.server.application.clientauth.ClientAssertionVerifier;
import dev.tessera.server.application.clientauth.ClientAuthenticator;
import dev.tessera.server.application.clientauth.ClientSecrets;
import dev.tessera.server.application.discovery.DiscoveryDocument;
import dev.tessera.server.application.discovery.VerifiedClaimsCatalog;
import dev.tessera.server.application.grant.AssertionVerifier;
import dev.tessera.server.application.grant.AuthorizationCodeGrant;
import dev.tessera.server.application.grant.CrossAppDecisionLog;
import dev.tessera.server.application.grant.IdJagPolicyCheck;
import dev.tessera.server.application.grant.JwtBearerGrant;
import dev.tessera.server.application.grant.SubjectTokenVerifier;
import dev.tessera.server.application.grant.TokenExchangeGrant;
import dev.tessera.server.application.grant.ClientCredentialsGrant;
import dev.tessera.server.application.grant.GrantRevocation;
import dev.tessera.server.application.grant.RefreshTokenGrant;
import dev.tessera.server.application.introspect.IntrospectionService;
import dev.tessera.server.application.issue.AccessTokenFactory;
import dev.tessera.server.application.issue.ClaimsAssembler;
import dev.tessera.server.application.issue.VerifiedClaimsSelector;
import dev.tessera.server.application.issue.IdJagFactory;
import dev.tessera.server.application.issue.ResponseEncrypter;
import dev.tessera.server.application.issue.IdTokenFactory;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.application.issue.TokenIssuer;
import dev.tessera.server.application.keys.JwtSigner;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.logout.LogoutService;
import dev.tessera.server.application.maintenance.ExpiredRowPurger;
import dev.tessera.server.application.mfa.Base32;
import dev.tessera.server.application.mfa.SecondFactorService;
import dev.tessera.server.application.mfa.SecondFactorTickets;
import dev.tessera.server.application.mfa.TotpCheck;
import dev.tessera.server.application.mfa.TotpEnrolment;
import dev.tessera.server.application.mfa.TotpSecrets;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.KeyRingSource;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.application.revoke.RevocationService;
import dev.tessera.server.application.token.AccessTokenValidator;
import dev.tessera.server.application.token.Grant;
import dev.tessera.server.application.token.Grants;
import dev.tessera.server.application.token.TokenService;
import dev.tessera.server.application.userinfo.UserInfoJwtFactory;
import dev.tessera.server.application.userinfo.UserInfoService;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ConfigException;
import dev.tessera.server.config.MetricsConfig;
import dev.tessera.server.config.ResponseEncryptionConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.http.MetricsServer;
import dev.tessera.server.http.TesseraHttpServer;
import dev.tessera.server.http.endpoint.AccountTotpEndpoint;
import dev.tessera.server.http.endpoint.AuthorizeEndpoint;
import dev.tessera.server.http.endpoint.AuthorizeResponder;
import dev.tessera.server.http.endpoint.ConsentEndpoint;
import dev.tessera.server.http.endpoint.DevCallbackEndpoint;
import dev.tessera.server.http.endpoint.DiscoveryEndpoint;
import dev.tessera.server.http.endpoint.HealthEndpoints;
import dev.tessera.server.http.endpoint.IntrospectionEndpoint;
import dev.tessera.server.http.endpoint.RevocationEndpoint;
import dev.tessera.server.http.endpoint.JwksEndpoint;
import dev.tessera.server.http.endpoint.LoginEndpoint;
import dev.tessera.server.http.endpoint.LogoutEndpoint;
import dev.tessera.server.http.endpoint.MetricsEndpoint;
import dev.tessera.server.http.endpoint.RegisterEndpoint;
import dev.tessera.server.http.endpoint.TokenEndpoint;
import dev.tessera.server.http.endpoint.UserInfoEndpoint;
import dev.tessera.server.http.support.ClientAddresses;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.SessionCookie;
import dev.tessera.server.infrastructure.audit.Slf4jAuditLog;
import dev.tessera.server.infrastructure.crypto.AesGcmSecretCipher;
import dev.tessera.server.infrastructure.crypto.Argon2idPasswordHasher;
import dev.tessera.server.infrastructure.crypto.SecretKeyFile;
import dev.tessera.server.infrastructure.crypto.CryptoProviders;
import dev.tessera.server.infrastructure.jose.CachedJwks;
import dev.tessera.server.infrastructure.jose.SectorDocuments;
import dev.tessera.server.infrastructure.keys.StoreKeyRingSource;
import dev.tessera.server.infrastructure.metrics.JvmMetrics;
import dev.tessera.server.infrastructure.metrics.KeyMetrics;
import dev.tessera.server.infrastructure.metrics.PoolMetrics;
import dev.tessera.server.infrastructure.metrics.PrometheusMetrics;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root: the only place adapters are constructed and use cases are wired (ARCHITECTURE
 * §2.2). {@link #start} opens the HTTP listener (answering 503 meanwhile) and loads the keys on threads of their own
 * while it opens the store, then wires the endpoints and hands them to the listener; {@link #close} stops them in
 * reverse.
 */
public final class TesseraApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TesseraApp.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
    private static final String CSRF_KEY = "csrf-hmac-sha256";
    private static final String SECOND_FACTOR_TICKET_KEY = "second-factor-ticket-hmac-sha256";
    /**
     * The AES-256 key that seals TOTP secrets in the store. It lives beside the signing keys, not in the database:
     * a stolen database or backup then yields no secret, and whoever can read this directory can already sign
     * any token, so it adds no new secret to guard. Instances sharing the key directory share it (SPEC §7).
     */
    public static final String TOTP_KEY_FILE = "totp-secrets.aes256";
    private static final String TOTP_KEY_PURPOSE = "tessera totp secrets v1";

    private final Database database;
    private final Stores stores;
    private final KeyRingSource keys;
    private final TotpSecrets totpSecrets;
    private final ServerSettings settings;
    private final TesseraHttpServer http;
    private final MetricsServer metricsServer; // null: /metrics is on the main listener
    private final ScheduledExecutorService maintenance;
    private final HealthEndpoints health;
    private final ConfigPasswords configPasswords;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TesseraApp(Database database, Stores stores, KeyRingSource keys, TotpSecrets totpSecrets,
                       ServerSettings settings, TesseraHttpServer http, MetricsServer metricsServer,
                       ScheduledExecutorService maintenance, HealthEndpoints health,
                       ConfigPasswords configPasswords) {
        this.database = database;
        this.stores = stores;
        this.keys = keys;
        this.totpSecrets = totpSecrets;
        this.settings = settings;
        this.http = http;
        this.metricsServer = metricsServer;
        this.maintenance = maintenance;
        this.health = health;
        this.configPasswords = configPasswords;
    }

    public static TesseraApp start(TesseraConfig config, Clock clock) {
        return start(config, clock, null);
    }

    /** @param dev the dev-mode demo setup, which adds the /dev/callback page; null in production */
    public static TesseraApp start(TesseraConfig config, Clock clock, DevMode dev) {
        return start(config, clock, dev, SectorDocuments.httpsOnly());
    }

    /**
     * @param sectorDocuments how pairwise clients' sector identifier documents are read: https only, except in tests
     *                        that serve them on a loopback address
     */
    public static TesseraApp start(TesseraConfig config, Clock clock, DevMode dev, SectorDocuments sectorDocuments) {
        StartupPhases phases = new StartupPhases();
        requireSectorDocuments(config, new SectorIdentifierCheck(sectorDocuments));
        // The provider and then the key files load while the store opens; no key object may exist before the
        // provider is in place (see CryptoProviders), and none does: that thread makes the first ones after it.
        BackgroundStart<KeyWiring.Signing> loadingSigning = KeyWiring.signingInBackground(config.keys(), clock);
        ServerSettings settings = settings(config);
        PrometheusMetrics metrics = new PrometheusMetrics();
        HealthEndpoints health = new HealthEndpoints();
        // Jetty and Javalin's start needs neither store nor keys; until it gets the endpoints it answers 503.
        BackgroundStart<TesseraHttpServer> listening = BackgroundStart.begin("tessera-http-setup", "the HTTP listener",
                () -> new TesseraHttpServer(config.http().host(), config.http().port(), optionalRoutes(config, dev),
                        health, metrics, settings.secureCookies()).start());
        Database database;
        try {
            database = StoreWiring.open(config.storage());
        } catch (RuntimeException e) {
            KeyWiring.discard(loadingSigning);
            listening.discard(TesseraHttpServer::close);
            throw e;
        }
        phases.done("store");
        ConfigPasswords configPasswords = null;
        boolean signingTaken = false;
        try {
            Stores stores = StoreWiring.forServer(database);
            if (dev == null) {
                DevMode.requireNoDevClient(stores.clients(), StoreWiring.describe(config.storage()));
            }
            PasswordHasher passwords = new Argon2idPasswordHasher();
            TotpSecrets totpSecrets = totpSecrets(config, stores, new Slf4jAuditLog(), clock);
            configPasswords = provision(config, stores, passwords, totpSecrets);
            phases.done("clients and users");
            signingTaken = true;
            KeyWiring.Signing signing = loadingSigning.await();
            phases.done("waiting for the crypto provider and key files");
            CryptoProviders providers = signing.providers();
            KeyRingSource keys = KeyWiring.keyRingFor(config, database, signing.directoryRing(), stores.clients().list(),
                    new Slf4jAuditLog(), clock);
            phases.done("keys");
            KeyMetrics keyMetrics = new KeyMetrics(keys, KeyWiring.schedule(config, stores.clients().list()), clock);
            keyMetrics.bindTo(metrics.registry());
            PoolMetrics.bindTo(metrics.registry(), database.dataSource());
            metrics.beforeScrape(registry -> keyMetrics.refresh());
            metrics.beforeScrape(new JvmMetrics());
            TesseraHttpServer.Endpoints endpoints = endpoints(config, settings, stores, keys, providers, passwords,
                    configPasswords, totpSecrets, metrics, clock, dev);
            phases.done("endpoints");
            TesseraHttpServer http = listening.await();
            phases.done("waiting for the HTTP listener");
            http.serve(endpoints);
            health.ready(StoreWiring.reachability(stores), () -> !keys.current().published().isEmpty());
            MetricsServer metricsServer = metricsServer(config.metrics(), metrics, http);
            configPasswords.start();
            ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tessera-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            maintenance.scheduleWithFixedDelay(new ExpiredRowPurger(stores, clock), PURGE_INTERVAL.toSeconds(),
                    PURGE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
            LOG.info("Tessera is serving {} on {}:{}, ready {}", settings.issuer(), config.http().host(), http.port(),
                    phases.summary());
            return new TesseraApp(database, stores, keys, totpSecrets, settings, http, metricsServer, maintenance,
                    health, configPasswords);
        } catch (RuntimeException e) {
            if (configPasswords != null) {
                configPasswords.finish(); // before the store closes under it
            }
            if (!signingTaken) {
                KeyWiring.discard(loadingSigning);
            }
            listening.discard(TesseraHttpServer::close); // closes the listener, whether or not it was already serving
            database.close();
            throw e;
        }
    }

    // Before anything is opened or written: a pairwise client whose sector document does not list all its redirect
    // URIs is refused like any other configuration problem.
    private static void requireSectorDocuments(TesseraConfig config, SectorIdentifierCheck check) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < config.clients().size(); i++) {
            problems.addAll(check.problems(config.clients().get(i), "clients[" + i + "]"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * Clients and users from the file are upserted at every start (SPEC §2); the hashes of clear-text passwords
     * follow in the background ({@link ConfigPasswords}).
     */
    static ConfigPasswords provision(TesseraConfig config, Stores stores, PasswordHasher passwords,
                                     TotpSecrets totpSecrets) {
        warnAboutSectionsNotServedYet(config);
        for (ClientConfig client : config.clients()) {
            if (client.secret() != null && client.secret().length() < ClientSecrets.RECOMMENDED_MIN_LENGTH) {
                LOG.warn("client {} has a secret shorter than {} characters; use a long random secret",
                        client.id(), ClientSecrets.RECOMMENDED_MIN_LENGTH);
            }
            stores.clients().upsert(ConfigToDomain.toClient(client, ClientSecrets::hash));
        }
        List<UserConfig> toHash = new ArrayList<>();
        for (UserConfig user : config.users()) {
            if (ConfigPasswords.hasClearTextPassword(user)) {
                stores.users().upsert(ConfigPasswords.withStoredHash(user, stores.users()));
                toHash.add(user);
            } else {
                stores.users().upsert(ConfigToDomain.toUser(user, passwords));
            }
            // A secret in the file is (re)sealed at every start; without one, an enrolled secret stays.
            if (user.totpSecret() != null) {
                totpSecrets.enrol(user.id(), Base32.decode(user.totpSecret()), "config");
            }
        }
        return ConfigPasswords.prepare(toHash, stores.users(), passwords);
    }

    /**
     * The users' TOTP secrets, sealed under the key file in {@code keys.dir} (see {@link #TOTP_KEY_FILE}); with
     * {@code keys.source: store} there may be no shared directory, so under a key derived from
     * {@code keys.encryptionKey} instead, which every instance already holds and the database does not.
     */
    public static TotpSecrets totpSecrets(TesseraConfig config, Stores stores, AuditLog audit, Clock clock) {
        if (config.keys().fromStore()) {
            byte[] master = KeyWiring.encryptionKeyBytes(config.keys().encryptionKey(), "keys.encryptionKey");
            try {
                return new TotpSecrets(stores.totpSecrets(),
                        AesGcmSecretCipher.derivedFrom(master, TOTP_KEY_PURPOSE), audit, clock);
            } finally {
                java.util.Arrays.fill(master, (byte) 0);
            }
        }
        return totpSecrets(config.keys().dir(), stores, audit, clock);
    }

    public static TotpSecrets totpSecrets(java.nio.file.Path keysDir, Stores stores, AuditLog audit, Clock clock) {
        SecretKeyFile keyFile = new SecretKeyFile(keysDir.resolve(TOTP_KEY_FILE));
        return new TotpSecrets(stores.totpSecrets(), AesGcmSecretCipher.overKeyFile(keyFile), audit, clock);
    }

    /** Enrolment as the page and the CLI use it; {@code issuer} names the account in authenticator apps. */
    public static TotpEnrolment totpEnrolment(TotpSecrets secrets, Stores stores, String issuer, AuditLog audit,
                                              Metrics metrics, Clock clock) {
        return new TotpEnrolment(secrets, new TotpCheck(secrets, stores.totpSteps(), stores.rateLimits(), audit,
                metrics, clock), stores.users(), URI.create(issuer).getHost(), clock);
    }

    // These sections are parsed and validated already, but nothing serves them yet: say so instead of
    // letting an operator believe they are in force.
    private static void warnAboutSectionsNotServedYet(TesseraConfig config) {
        for (ClientConfig client : config.clients()) {
            // SPEC §6: the grants exist only while their sections enable them.
            if (client.grantTypes().contains(GrantTypes.TOKEN_EXCHANGE) && !config.tokenExchange().enabled()) {
                LOG.warn("client {} lists the token-exchange grant, but tokenExchange.tokenTypes is empty; it gets"
                        + " unsupported_grant_type", client.id());
            }
            if (client.grantTypes().contains(GrantTypes.JWT_BEARER) && config.trustedIssuers().isEmpty()) {
                LOG.warn("client {} lists the jwt-bearer grant, but trustedIssuers is empty; it gets"
                        + " unsupported_grant_type", client.id());
            }
        }
    }

    static ServerSettings settings(TesseraConfig config) {
        var tokens = config.tokens();
        return new ServerSettings(config.issuer(), tokens.accessTokenTtl(), tokens.idTokenTtl(), tokens.refreshTokenTtl(),
                tokens.refreshTokenMaxTtl(), tokens.authorizationCodeTtl(), tokens.idJagTtl(),
                tokens.refreshTokenReuseGrace(),
                ConfigToDomain.accessTokenFormat(tokens.parsedAccessTokenFormat()),
                config.subjects().pairwiseSalt(), config.sessions().maxLifetime(),
                "https".equalsIgnoreCase(URI.create(config.issuer()).getScheme()));
    }

    // Known from the configuration alone, before the endpoints exist (the listener opens first).
    private static TesseraHttpServer.OptionalRoutes optionalRoutes(TesseraConfig config, DevMode dev) {
        return new TesseraHttpServer.OptionalRoutes(config.registration().enabled(),
                !config.metrics().separateListener(), dev != null);
    }

    private static TesseraHttpServer.Endpoints endpoints(TesseraConfig config, ServerSettings settings, Stores stores,
                                                KeyRingSource keys, CryptoProviders providers,
                                                PasswordHasher passwords, ConfigPasswords configPasswords,
                                                TotpSecrets totpSecrets, PrometheusMetrics metrics,
                                                Clock clock, DevMode dev) {
        AuditLog audit = new Slf4jAuditLog();
        AuthenticationLevels levels = new AuthenticationLevels(config.acr().levels());
        JwtSigner signer = KeyWiring.signer(keys, providers, clock);
        OwnTokenVerifier ownTokens = new OwnTokenVerifier(keys, settings.issuer());
        SubjectResolver subjects = new SubjectResolver(settings.pairwiseSalt());
        ClaimsAssembler claims = new ClaimsAssembler(stores.consents(), new VerifiedClaimsSelector(clock));
        AccessTokenFactory accessTokens = new AccessTokenFactory(signer, stores.accessTokens(), subjects, settings, clock);
        // One encrypter, so ID tokens and userinfo answers share the cache of each client's keys.
        // One cache for every party whose keys we fetch (trusted issuers, private_key_jwt clients, clients'
        // encryption keys): one rate limit per URI.
        CachedJwks publishedKeys = new CachedJwks(clock);
        ResponseEncrypter encrypter = new ResponseEncrypter(publishedKeys);
        IdTokenFactory idTokens = new IdTokenFactory(signer, encrypter, subjects, claims, settings, clock);
        TokenIssuer issuer = new TokenIssuer(accessTokens, idTokens);
        GrantRevocation revocation = new GrantRevocation(stores.refreshTokens(), stores.accessTokens(),
                stores.transactor(), audit, metrics, clock);

        AccessTokenValidator liveTokens = new AccessTokenValidator(ownTokens, stores.accessTokens(), clock);
        List<Grant> registered = new ArrayList<>(List.of(
                new AuthorizationCodeGrant(stores.codes(), stores.refreshTokens(), stores.users(), issuer, revocation,
                        stores.transactor(), settings, clock),
                new RefreshTokenGrant(stores.refreshTokens(), stores.users(), issuer, revocation, stores.transactor(),
                        settings, audit, clock),
                new ClientCredentialsGrant(accessTokens)));
        CrossAppDecisionLog decisions = new CrossAppDecisionLog(audit, metrics);
        // SPEC §6: each cross-app grant is registered (and so in discovery) only when its section enables it.
        if (config.tokenExchange().enabled()) {
            registered.add(new TokenExchangeGrant(Set.copyOf(config.tokenExchange().tokenTypes()),
                    new SubjectTokenVerifier(ownTokens, liveTokens, stores, subjects, revocation, clock),
                    new IdJagPolicyCheck(metrics), new IdJagFactory(signer, settings, clock), accessTokens,
                    stores.clients(), subjects, decisions));
        }
        if (!config.trustedIssuers().isEmpty()) {
            AssertionVerifier assertions = new AssertionVerifier(ConfigToDomain.trustedIssuers(config.trustedIssuers()),
                    publishedKeys, settings.issuer(), clock);
            registered.add(new JwtBearerGrant(assertions, stores.usedJtis(), stores.users(), accessTokens, decisions));
        }
        Grants grants = new Grants(registered);
        ClientAuthenticator clientAuthenticator = new ClientAuthenticator(stores.clients(),
                new ClientAssertionVerifier(publishedKeys, stores.usedJtis(), settings.issuer(),
                        settings.endpoint("/token"), clock),
                stores.rateLimits(), audit, metrics, clock);
        TokenService tokenService = new TokenService(grants, clientAuthenticator, metrics, audit);

        SessionService sessions = new SessionService(stores.sessions(), config.sessions().idleTimeout(),
                config.sessions().maxLifetime(), clock);
        SecondFactorService secondFactor = new SecondFactorService(stores.users(), totpSecrets,
                new TotpCheck(totpSecrets, stores.totpSteps(), stores.rateLimits(), audit, metrics, clock),
                new SecondFactorTickets(sharedSecret(stores, SECOND_FACTOR_TICKET_KEY, clock), clock), levels, clock);
        AuthorizeService authorize = new AuthorizeService(
                new AuthorizationRequestValidator(stores.clients(), settings.issuer()), sessions, stores.users(),
                stores.consents(), stores.codes(), subjects, ownTokens, settings, levels, secondFactor, audit, clock);
        // One bound on Argon2id work for sign-in and sign-up together: both allocate the same memory per hash.
        PasswordCheckLimiter hashing = PasswordCheckLimiter.forThisMachine();
        // Sign-in waits for the configuration's password hashes (a moment after start-up) before it checks one.
        LoginService logins = new LoginService(configPasswords.awaiting(stores.users()), passwords, stores.rateLimits(),
                hashing, levels, audit, metrics, clock);
        UserInfoService userInfo = new UserInfoService(liveTokens, stores.clients(), stores.users(), subjects, claims,
                new UserInfoJwtFactory(signer, encrypter, settings.issuer(), clock),
                stores.accessTokens());

        CsrfTokens csrf = new CsrfTokens(settings.secureCookies(), sharedSecret(stores, CSRF_KEY, clock));
        SessionCookie sessionCookie = new SessionCookie(settings.secureCookies(), settings.sessionTtl());
        boolean registration = config.registration().enabled();
        Pages pages = new Pages(csrf, registration);
        AuthorizeResponder responder = new AuthorizeResponder(pages);
        ClientAddresses clientAddresses = ClientAddresses.trusting(config.http().trustedProxies());
        return new TesseraHttpServer.Endpoints(
                new DiscoveryEndpoint(new DiscoveryDocument(settings, grants, keys, levels, clock,
                        new VerifiedClaimsCatalog(stores.users(), clock), new DiscoveryDocument.Encryption(
                        ResponseEncryptionConfig.ALGS, ResponseEncryptionConfig.ENCS))),
                new JwksEndpoint(keys),
                new AuthorizeEndpoint(authorize, sessionCookie, responder, pages),
                new LoginEndpoint(authorize, logins, secondFactor, sessions, sessionCookie, csrf, responder, pages,
                        clientAddresses),
                new ConsentEndpoint(authorize, sessionCookie, csrf, responder, pages),
                new AccountTotpEndpoint(totpEnrolment(totpSecrets, stores, settings.issuer(), audit, metrics, clock),
                        sessions, sessionCookie, csrf, pages, clientAddresses),
                registration ? new RegisterEndpoint(authorize, new RegistrationService(stores.users(), passwords,
                        ConfigToDomain.passwordPolicy(config.passwords()), stores.rateLimits(), hashing, audit, clock),
                        config.passwords().minLength(), csrf, responder, pages, clientAddresses) : null,
                new TokenEndpoint(tokenService),
                new UserInfoEndpoint(userInfo),
                new IntrospectionEndpoint(new IntrospectionService(liveTokens, subjects, stores.refreshTokens(), stores.clients(),
                        stores.users(), settings, clock), clientAuthenticator),
                new RevocationEndpoint(new RevocationService(liveTokens, stores.accessTokens(), stores.refreshTokens(),
                        revocation, audit, clock), clientAuthenticator),
                new LogoutEndpoint(new LogoutService(ownTokens, stores.clients(), stores.users(), sessions,
                        stores.sessions(), audit), sessionCookie, csrf, pages),
                config.metrics().separateListener() ? null : new MetricsEndpoint(metrics::scrape),
                pages,
                dev == null ? null : new DevCallbackEndpoint(tokenService, csrf, pages, settings.issuer(),
                        DevMode.DEMO_CLIENT, dev.clientSecret(), DevMode.callback(settings.issuer()), dev.codeVerifier(),
                        clock));
    }

    // Stored rather than configured: every instance on the store gets the same key without an operator's help.
    private static byte[] sharedSecret(Stores stores, String name, Clock clock) {
        byte[] candidate = new byte[32];
        new SecureRandom().nextBytes(candidate);
        return stores.secrets().getOrCreate(name, candidate, clock.instant());
    }

    // SPEC §10: with metrics.port set, /metrics is served there and only there.
    private static MetricsServer metricsServer(MetricsConfig config, PrometheusMetrics metrics, TesseraHttpServer http) {
        if (!config.separateListener()) {
            return null;
        }
        try {
            MetricsServer server = new MetricsServer(config.listenHost(), config.port(),
                    new MetricsEndpoint(metrics::scrape)).start();
            LOG.info("Tessera serves /metrics on {}:{} only", config.listenHost(), server.port());
            return server;
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public Stores stores() {
        return stores;
    }

    public KeyRingSource keys() {
        return keys;
    }

    public ServerSettings settings() {
        return settings;
    }

    /**
     * With {@code keys.source: store}: runs what the background thread runs every {@code keys.reloadInterval} (the
     * rotation when due, then a reload of the ring), now. For tests that move the clock; a no-op with a key directory.
     */
    public void refreshKeysNow() {
        if (keys instanceof StoreKeyRingSource store) {
            store.refreshNow();
        }
    }

    /**
     * Waits until the hashes of the configuration's clear-text passwords are stored: they are written just after
     * start-up ({@link ConfigPasswords}), so until then the store may still change on its own.
     */
    public void awaitConfigPasswords() {
        configPasswords.await();
    }

    public TotpSecrets totpSecrets() {
        return totpSecrets;
    }

    /**
     * The shutdown a SIGTERM asks for: /readyz answers 503 from now on, no new connection is accepted, the requests
     * in flight get up to {@code grace} to finish (the store stays open for them), then everything closes.
     */
    public void drain(Duration grace) {
        health.startDraining();
        LOG.info("shutting down: not ready, no new connections, up to {} s for the requests in flight",
                grace.toSeconds());
        long started = System.nanoTime();
        http.stop(grace);
        LOG.info("the requests in flight are done after {} ms; closing", (System.nanoTime() - started) / 1_000_000);
        close();
    }

    /** Stops everything at once; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        maintenance.shutdownNow();
        http.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (keys instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing the key ring failed", e);
            }
        }
        configPasswords.finish(); // a stop right after start lets the password hashes reach the store first
        database.close();
    }
}
