package dev.tessera.server.config;

import dev.tessera.server.application.clientauth.ClientSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValidatorTest {
    private static final String ISSUER = "https://id.example.com";
    private static final String ARGON2_HASH =
            "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$UQtP1M9o0Ry7mWqNw3xYgFzr7l2kq1m8VbE0xqg3d7A";

    private static final String SECRET_HASH = ClientSecrets.hash("a-long-enough-secret-for-tests-0123456789");

    private static ClientConfig.Builder web() {
        return ClientConfig.builder("web").secret("a-long-enough-secret-for-tests-0123456789")
                .redirectUris(List.of("https://app.example.com/callback"));
    }

    private static ClientConfig.Builder spa() {
        return ClientConfig.builder("spa").publicClient(true).redirectUris(List.of("https://spa.example.com/cb"));
    }

    private static List<String> problems(TesseraConfig config) {
        return ConfigValidator.validate(config);
    }

    private static List<String> clientProblems(ClientConfig... clients) {
        return problems(TesseraConfig.defaults(ISSUER).withClients(List.of(clients)));
    }

    private static List<String> userProblems(UserConfig... users) {
        return problems(TesseraConfig.defaults(ISSUER).withUsers(List.of(users)));
    }

    private static List<String> tokenProblems(UnaryOperator<TokensConfig> change) {
        return problems(TesseraConfig.defaults(ISSUER).withTokens(change.apply(TokensConfig.defaults())));
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(problems(TesseraConfig.defaults(ISSUER))).isEmpty();
        assertThat(problems(TesseraConfig.defaults("http://127.0.0.1:8080"))).isEmpty();
    }

    @Test
    void theFullSpecExampleIsValid() {
        assertThat(problems(ConfigLoader.parse(ConfigLoaderTest.FULL_EXAMPLE, ConfigLoaderTest.FULL_ENV))).isEmpty();
    }

    @Test
    void requireValidThrowsWithEveryProblem() {
        TesseraConfig config = TesseraConfig.defaults("ftp://x").withHttp(new HttpConfig("", 70_000));

        assertThatThrownBy(() -> ConfigValidator.requireValid(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "issuer: must be an absolute http(s) URL",
                        "http.host: must not be empty",
                        "http.port: must be between 0 and 65535"));
    }

    @Test
    void requireValidReturnsAValidConfig() {
        TesseraConfig config = TesseraConfig.defaults(ISSUER);

        assertThat(ConfigValidator.requireValid(config)).isSameAs(config);
    }

    // --- metrics ---

    private static List<String> metricsProblems(String host, int port) {
        return problems(TesseraConfig.defaults(ISSUER).withMetrics(new MetricsConfig(host, port)));
    }

    @Test
    void aSeparateMetricsListenerNeedsAValidPortThatIsNotTheMainOne() {
        assertThat(metricsProblems("", 9090)).isEmpty();
        assertThat(metricsProblems("10.0.0.5", 9090)).isEmpty();
        assertThat(metricsProblems("::1", 9090)).isEmpty();
        assertThat(metricsProblems("metrics.internal", 9090)).isEmpty();
        assertThat(metricsProblems("", 70_000))
                .containsExactly("metrics.port: must be between 0 and 65535 (0 serves /metrics on the main port)");
        assertThat(metricsProblems("", -1))
                .containsExactly("metrics.port: must be between 0 and 65535 (0 serves /metrics on the main port)");
        assertThat(metricsProblems("", 8080)).containsExactly("metrics.port: must differ from http.port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.5", "10.0.0.5:9090", " ", "metrics internal", "host/path"})
    void aMetricsHostMustBeAnAddressOrHostName(String host) {
        assertThat(metricsProblems(host, 9090))
                .containsExactly("metrics.host: must be an IP address or host name to listen on");
    }

    @Test
    void aMetricsHostWithoutAPortIsRefusedBecauseItWouldBeIgnored() {
        assertThat(metricsProblems("127.0.0.1", 0)).containsExactly(
                "metrics.host: is only used with metrics.port (without it /metrics is served on the main port)");
    }

    // --- issuer ---

    @Test
    void theIssuerIsRequired() {
        assertThat(problems(TesseraConfig.defaults(null))).containsExactly("issuer: is required");
        assertThat(problems(TesseraConfig.defaults(" "))).containsExactly("issuer: is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id.example.com", "/relative", "ftp://id.example.com", "urn:example:issuer", "https:///path"})
    void theIssuerMustBeAnAbsoluteHttpUrl(String issuer) {
        assertThat(problems(TesseraConfig.defaults(issuer))).containsExactly("issuer: must be an absolute http(s) URL");
    }

    @Test
    void theIssuerHasNoQueryOrFragment() {
        assertThat(problems(TesseraConfig.defaults("https://id.example.com?tenant=a")))
                .containsExactly("issuer: must not have a query or fragment");
        assertThat(problems(TesseraConfig.defaults("https://id.example.com#x")))
                .containsExactly("issuer: must not have a query or fragment");
    }

    @Test
    void theIssuerHasNoUserInformation() {
        assertThat(problems(TesseraConfig.defaults("https://user:pw@id.example.com")))
                .containsExactly("issuer: must not contain user information");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://id.example.com", "http://128.0.0.1:8080", "http://localhost.evil.example",
            "http://127.0.0.1.nip.io", "http://10.0.0.1", "http://[::2]:8080"})
    void aPlainHttpIssuerIsRefusedUnlessItsHostIsLoopback(String issuer) {
        assertThat(problems(TesseraConfig.defaults(issuer)))
                .containsExactly("issuer: must use https unless its host is loopback (127.0.0.0/8, ::1, localhost)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.10.20.30", "http://localhost:8080",
            "http://LOCALHOST", "http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]", "https://id.example.com/tenant/a"})
    void loopbackHttpAndHttpsIssuersAreAccepted(String issuer) {
        assertThat(problems(TesseraConfig.defaults(issuer))).isEmpty();
    }

    // --- http, storage, keys ---

    @Test
    void theHttpPortMustBeAValidPort() {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withHttp(new HttpConfig("0.0.0.0", -1))))
                .containsExactly("http.port: must be between 0 and 65535");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withHttp(new HttpConfig("0.0.0.0", 0)))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "192.168.1.0/24", "::1", "2001:db8::/32",
            "fd00::/8", "2001:db8:0:0:0:0:0:1/128", "::/0"})
    void trustedProxiesAreAddressesOrCidrRangesOfEitherFamily(String proxy) {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withHttp(HttpConfig.defaults()
                .withTrustedProxies(List.of(proxy))))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.internal", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1",
            "10.0.0.0/08", "1.2.3", "256.1.1.1", "10.0.0.1 ", "", "fe80::1%eth0", "::ffff:10.0.0.1", "2001:db8::g",
            "10.0.0.0/8/8", "*"})
    void aTrustedProxyThatIsNotAnAddressOrCidrIsRefusedWithItsPath(String proxy) {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withHttp(HttpConfig.defaults()
                .withTrustedProxies(List.of("10.0.0.1", proxy))))).containsExactly(
                "http.trustedProxies[1]: must be an IP address or a CIDR range, such as 10.0.0.0/8 or 2001:db8::/32");
    }

    @Test
    void sessionTimeoutsArePositiveAndTheIdleTimeoutIsAtMostTheLifetime() {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withSessions(
                new SessionsConfig(Duration.ZERO, Duration.ofHours(1))))).containsExactly(
                "sessions.idleTimeout: must be longer than 0s");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withSessions(new SessionsConfig(Duration.ofHours(1), null))))
                .containsExactly("sessions.maxLifetime: is required");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withSessions(
                new SessionsConfig(Duration.ofHours(2), Duration.ofHours(1))))).containsExactly(
                "sessions.idleTimeout: must not be longer than sessions.maxLifetime");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withSessions(
                new SessionsConfig(Duration.ofMinutes(15), Duration.ofMinutes(15))))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 129})
    void passwordsMinLengthIsBetweenEightAnd128(int minLength) {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withPasswords(new PasswordsConfig(minLength))))
                .containsExactly("passwords.minLength: must be between 8 and 128");
    }

    @Test
    void acrLevelsDefaultToThePasswordAndTheMfaLevel() {
        assertThat(TesseraConfig.defaults(ISSUER).acr().levels())
                .containsExactly("urn:tessera:acr:pwd", "urn:tessera:acr:mfa");
    }

    @Test
    void acrLevelsAreExactlyTwoDistinctValuesWithoutSpaces() {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withAcr(new AcrConfig(List.of("urn:x:pwd")))))
                .containsExactly("acr.levels: must list exactly two values: the password level, then the second-factor level");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withAcr(new AcrConfig(List.of("a", "b", "c")))))
                .containsExactly("acr.levels: must list exactly two values: the password level, then the second-factor level");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withAcr(new AcrConfig(List.of("urn:x:pwd", "urn:x:pwd")))))
                .containsExactly("acr.levels[1]: repeats an earlier level");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withAcr(new AcrConfig(List.of("silver level", "")))))
                .containsExactly("acr.levels[0]: must be printable ASCII without spaces", "acr.levels[1]: must not be empty");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withAcr(new AcrConfig(List.of("1", "2"))))).isEmpty();
    }

    @Test
    void theStorageTypeMustBeH2OrPostgres() {
        TesseraConfig config = TesseraConfig.defaults(ISSUER)
                .withStorage(new StorageConfig("mysql", Path.of("x"), null, null, null));

        assertThat(problems(config)).containsExactly("storage.type: must be h2 or postgres");
    }

    @Test
    void postgresNeedsAUrl() {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withStorage(StorageConfig.postgres(null, "u", "p"))))
                .containsExactly("storage.url: is required for postgres");
    }

    @Test
    void postgresNeedsAPostgresJdbcUrl() {
        TesseraConfig config = TesseraConfig.defaults(ISSUER)
                .withStorage(StorageConfig.postgres("jdbc:mysql://db/tessera", "u", "p"));

        assertThat(problems(config)).containsExactly("storage.url: must be a JDBC URL starting with jdbc:postgresql:");
    }

    @Test
    void aUrlWithH2IsAMistake() {
        TesseraConfig config = TesseraConfig.defaults(ISSUER)
                .withStorage(new StorageConfig("h2", Path.of("./data/x"), "jdbc:postgresql://db/x", null, null));

        assertThat(problems(config)).containsExactly("storage.url: is only used with type postgres");
    }

    @Test
    void thePoolSizeAndConnectionTimeoutMustBeSensible() {
        StorageConfig postgres = StorageConfig.postgres("jdbc:postgresql://db/x", "u", "p");

        assertThat(problems(TesseraConfig.defaults(ISSUER).withStorage(postgres.withPool(0, Duration.ofMillis(100)))))
                .containsExactly("storage.poolSize: must be between 1 and 200",
                        "storage.connectionTimeout: must be between 250ms and 30s");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withStorage(postgres.withPool(201, Duration.ofMinutes(1)))))
                .containsExactly("storage.poolSize: must be between 1 and 200",
                        "storage.connectionTimeout: must be between 250ms and 30s");
        assertThat(problems(TesseraConfig.defaults(ISSUER).withStorage(postgres.withPool(4, Duration.ofMillis(500)))))
                .isEmpty();
    }

    @Test
    void h2NeedsAPath() {
        assertThat(problems(TesseraConfig.defaults(ISSUER).withStorage(StorageConfig.h2(null))))
                .containsExactly("storage.path: is required for h2");
    }

    @Test
    void theKeyProviderMustBeAutoOrJdk() {
        TesseraConfig config = TesseraConfig.defaults(ISSUER).withKeys(new KeysConfig(Path.of("keys"), false, "bc"));

        assertThat(problems(config)).containsExactly("keys.provider: must be auto or jdk");
    }

    // --- tokens ---

    @Test
    void tokenLifetimesMustBePositive() {
        TokensConfig zero = new TokensConfig(Duration.ZERO, Duration.ZERO, Duration.ofDays(1), Duration.ofDays(1),
                Duration.ZERO, Duration.ofSeconds(-1), Duration.ZERO, "jwt");

        assertThat(problems(TesseraConfig.defaults(ISSUER).withTokens(zero))).containsExactly(
                "tokens.accessTokenTtl: must be longer than 0s",
                "tokens.idTokenTtl: must be longer than 0s",
                "tokens.authorizationCodeTtl: must be longer than 0s",
                "tokens.idJagTtl: must be longer than 0s");
    }

    @Test
    void theRefreshTokenMaxTtlCannotBeShorterThanItsSlidingTtl() {
        assertThat(tokenProblems(t -> new TokensConfig(t.accessTokenTtl(), t.idTokenTtl(), Duration.ofDays(30),
                Duration.ofDays(7), t.authorizationCodeTtl(), t.idJagTtl(), t.refreshTokenReuseGrace(), "jwt")))
                .containsExactly("tokens.refreshTokenMaxTtl: must be at least tokens.refreshTokenTtl");
    }

    @Test
    void theReuseGraceIsAtMostSixtySeconds() {
        assertThat(tokenProblems(t -> withGrace(t, Duration.ofSeconds(61))))
                .containsExactly("tokens.refreshTokenReuseGrace: must be at most 60s");
        assertThat(tokenProblems(t -> withGrace(t, Duration.ofSeconds(-1))))
                .containsExactly("tokens.refreshTokenReuseGrace: must not be negative");
        assertThat(tokenProblems(t -> withGrace(t, Duration.ofSeconds(60)))).isEmpty();
    }

    @Test
    void anAuthorizationCodeLivesAtMostTenMinutes() {
        assertThat(tokenProblems(t -> new TokensConfig(t.accessTokenTtl(), t.idTokenTtl(), t.refreshTokenTtl(),
                t.refreshTokenMaxTtl(), Duration.ofMinutes(11), t.idJagTtl(), t.refreshTokenReuseGrace(), "jwt")))
                .containsExactly("tokens.authorizationCodeTtl: must be at most 10m (RFC 6749 section 4.1.2)");
    }

    @Test
    void theAccessTokenFormatIsJwtOrOpaque() {
        assertThat(tokenProblems(t -> new TokensConfig(t.accessTokenTtl(), t.idTokenTtl(), t.refreshTokenTtl(),
                t.refreshTokenMaxTtl(), t.authorizationCodeTtl(), t.idJagTtl(), t.refreshTokenReuseGrace(), "paseto")))
                .containsExactly("tokens.accessTokenFormat: must be jwt or opaque");
    }

    private static TokensConfig withGrace(TokensConfig t, Duration grace) {
        return new TokensConfig(t.accessTokenTtl(), t.idTokenTtl(), t.refreshTokenTtl(), t.refreshTokenMaxTtl(),
                t.authorizationCodeTtl(), t.idJagTtl(), grace, t.accessTokenFormat());
    }

    // --- token exchange ---

    private static List<String> tokenTypeProblems(String... types) {
        return problems(TesseraConfig.defaults(ISSUER).withTokenExchange(new TokenExchangeConfig(List.of(types))));
    }

    @Test
    void tokenExchangeTypesMustBeKnownUrns() {
        assertThat(tokenTypeProblems(TokenExchangeConfig.ID_JAG, "urn:ietf:params:oauth:token-type:saml2"))
                .containsExactly("tokenExchange.tokenTypes[1]: must be urn:ietf:params:oauth:token-type:access_token "
                        + "or urn:ietf:params:oauth:token-type:id-jag");
    }

    @Test
    void tokenExchangeTypesCannotListSubjectOnlyTypes() {
        String message = "ID and refresh tokens are only accepted as subject tokens, never issued by an exchange; "
                + "list urn:ietf:params:oauth:token-type:access_token or urn:ietf:params:oauth:token-type:id-jag";

        assertThat(tokenTypeProblems(TokenExchangeConfig.ACCESS_TOKEN, TokenExchangeConfig.ID_TOKEN,
                TokenExchangeConfig.REFRESH_TOKEN)).containsExactly(
                "tokenExchange.tokenTypes[1]: " + message,
                "tokenExchange.tokenTypes[2]: " + message);
    }

    @Test
    void tokenExchangeMayIssueAccessTokensAndIdJags() {
        assertThat(tokenTypeProblems(TokenExchangeConfig.ACCESS_TOKEN, TokenExchangeConfig.ID_JAG)).isEmpty();
    }

    // --- clients: identity and authentication ---

    @Test
    void aClientIdIsRequired() {
        assertThat(clientProblems(ClientConfig.builder(" ").secret("s").redirectUris(List.of("https://a.example/cb")).build()))
                .containsExactly("clients[0].id: is required");
    }

    @Test
    void clientIdsAreUnique() {
        assertThat(clientProblems(web().build(), spa().build(), web().build()))
                .containsExactly("clients[2].id: is already used by clients[0]");
    }

    @Test
    void aConfidentialClientNeedsASecretOrSecretHash() {
        assertThat(clientProblems(web().secret(null).build()))
                .containsExactly("clients[0].secret: a confidential client needs secret or secretHash");
        assertThat(clientProblems(web().secret(null).secretHash(SECRET_HASH).build())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hash", "the-secret-in-clear-text-0123456789abcdef",
            "sha256$c2FsdA$aGFzaA", "sha256$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA==",
            "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$UQtP1M9o0Ry7mWqNw3xYgFzr7l2kq1m8VbE0xqg3d7A"})
    void aSecretHashMustBeAHashAsTesseraWritesIt(String hash) {
        assertThat(clientProblems(web().secret(null).secretHash(hash).build())).containsExactly(
                "clients[0].secretHash: must be a client secret hash as Tessera writes it "
                        + "(sha256$<salt>$<hash>, base64url); set secret instead to have it hashed at startup");
    }

    @Test
    void aSecretHashThatClientSecretsWroteIsAccepted() {
        for (int i = 0; i < 20; i++) {
            assertThat(clientProblems(web().secret(null).secretHash(ClientSecrets.hash("secret " + i)).build())).isEmpty();
        }
    }

    @Test
    void anEmptySecretIsRefused() {
        assertThat(clientProblems(web().secret("").build())).containsExactly("clients[0].secret: must not be empty");
    }

    @Test
    void aConfidentialClientSetsOnlyOneOfSecretAndSecretHash() {
        assertThat(clientProblems(web().secretHash(SECRET_HASH).build()))
                .containsExactly("clients[0].secretHash: set only one of secret and secretHash");
    }

    private static ClientConfig.Builder keyClient() {
        return web().secret(null).tokenEndpointAuthMethod("private_key_jwt");
    }

    private static Map<String, Object> ecJwk() {
        Map<String, Object> key = new java.util.LinkedHashMap<>();
        key.put("kty", "EC");
        key.put("crv", "P-256");
        key.put("x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
        key.put("y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
        return key;
    }

    @Test
    void aSectorIdentifierUriIsForPairwiseClientsAndHttps() {
        assertThat(clientProblems(web().subjectType("pairwise").sectorIdentifierUri("https://example.com/sector.json")
                .redirectUris(List.of("https://a.example.com/cb", "https://b.example.com/cb")).build()))
                .containsExactly("subjects.pairwiseSalt: is required because clients[0] is pairwise");
        assertThat(clientProblems(web().sectorIdentifierUri("https://example.com/sector.json").build()))
                .containsExactly("clients[0].sectorIdentifierUri: is only used with subjectType: pairwise");
        assertThat(clientProblems(web().subjectType("pairwise").sectorIdentifierUri("http://example.com/sector.json")
                .build())).contains("clients[0].sectorIdentifierUri: must be an absolute https URL without a fragment");
    }

    @Test
    void aPrivateKeyJwtClientNeedsNoSecretButItsKeys() {
        assertThat(clientProblems(keyClient().jwksUri("https://app.example.com/jwks.json").build())).isEmpty();
        assertThat(clientProblems(keyClient().jwks(Map.of("keys", List.of(ecJwk()))).build())).isEmpty();
        assertThat(clientProblems(keyClient().build()))
                .containsExactly("clients[0].jwksUri: a private_key_jwt client needs jwksUri or jwks (its public keys)");
    }

    @Test
    void aPrivateKeyJwtClientCannotAlsoHaveASecret() {
        assertThat(clientProblems(keyClient().secret("a-long-enough-secret-for-tests-0123456789")
                .jwksUri("https://app.example.com/jwks.json").build()))
                .containsExactly("clients[0].secret: a private_key_jwt client authenticates with its keys; remove the secret");
    }

    @Test
    void keysBelongOnlyToPrivateKeyJwtClients() {
        assertThat(clientProblems(web().jwksUri("https://app.example.com/jwks.json").build())).containsExactly(
                "clients[0].jwksUri: is only used with tokenEndpointAuthMethod: private_key_jwt");
    }

    @Test
    void aPrivateKeyJwtClientSetsOnlyOneOfJwksUriAndJwks() {
        assertThat(clientProblems(keyClient().jwksUri("https://app.example.com/jwks.json")
                .jwks(Map.of("keys", List.of(ecJwk()))).build()))
                .containsExactly("clients[0].jwksUri: set only one of jwksUri and jwks");
    }

    @Test
    void theJwksUriIsHttpsUnlessLoopback() {
        assertThat(clientProblems(keyClient().jwksUri("http://app.example.com/jwks.json").build())).containsExactly(
                "clients[0].jwksUri: must be an absolute https URL without a fragment (http only on a loopback host)");
        assertThat(clientProblems(keyClient().jwksUri("http://127.0.0.1:8081/jwks.json").build())).isEmpty();
    }

    @Test
    void inlineKeysArePublicAsymmetricSigningKeysOnly() {
        Map<String, Object> withPrivatePart = new java.util.LinkedHashMap<>(ecJwk());
        withPrivatePart.put("d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI");
        Map<String, Object> symmetric = Map.of("kty", "oct", "k", "c2VjcmV0");
        Map<String, Object> otherCurve = new java.util.LinkedHashMap<>(ecJwk());
        otherCurve.put("crv", "P-384");

        assertThat(clientProblems(keyClient().jwks(Map.of("keys", List.of(withPrivatePart, symmetric, otherCurve)))
                .build())).containsExactly(
                "clients[0].jwks.keys[0].d: is private key material; publish only the public key",
                "clients[0].jwks.keys[1].k: is private key material; publish only the public key",
                "clients[0].jwks.keys[1].kty: must be RSA or EC (symmetric keys are never accepted)",
                "clients[0].jwks.keys[2].crv: must be P-256 (ES256)");
        assertThat(clientProblems(keyClient().jwks(List.of(ecJwk())).build())).containsExactly(
                "clients[0].jwks: must be a JWK Set: a mapping with keys, a list of public keys");
    }

    @Test
    void aConfidentialClientCannotUseAuthMethodNone() {
        assertThat(clientProblems(web().tokenEndpointAuthMethod("none").build()))
                .containsExactly("clients[0].tokenEndpointAuthMethod: none is only for public clients (set public: true)");
    }

    @Test
    void aPublicClientHasNoSecret() {
        assertThat(clientProblems(spa().secret("s").build()))
                .containsExactly("clients[0].secret: a public client has no secret");
        assertThat(clientProblems(spa().secretHash("h").build()))
                .containsExactly("clients[0].secretHash: a public client has no secret");
    }

    @Test
    void aPublicClientUsesAuthMethodNone() {
        assertThat(clientProblems(spa().tokenEndpointAuthMethod("client_secret_basic").build()))
                .containsExactly("clients[0].tokenEndpointAuthMethod: must be none for a public client");
    }

    @Test
    void theAuthMethodMustBeKnown() {
        assertThat(clientProblems(web().tokenEndpointAuthMethod("client_secret_jwt").build())).containsExactly(
                "clients[0].tokenEndpointAuthMethod: must be client_secret_basic, client_secret_post, private_key_jwt or none");
    }

    // --- clients: grants, scopes, consent ---

    @Test
    void grantTypesMustBeKnown() {
        assertThat(clientProblems(web().grantTypes(List.of("authorization_code", "implicit", "password")).build()))
                .hasSize(2).allMatch(p -> p.startsWith("clients[0].grantTypes[1]: must be authorization_code")
                        || p.startsWith("clients[0].grantTypes[2]: must be authorization_code"));
    }

    @Test
    void everyKnownGrantTypeIsAccepted() {
        assertThat(clientProblems(web().grantTypes(List.of(ClientConfig.AUTHORIZATION_CODE, ClientConfig.REFRESH_TOKEN,
                ClientConfig.CLIENT_CREDENTIALS, ClientConfig.TOKEN_EXCHANGE, ClientConfig.JWT_BEARER)).build())).isEmpty();
    }

    @Test
    void aClientNeedsAtLeastOneGrantType() {
        assertThat(clientProblems(web().grantTypes(List.of()).build()))
                .containsExactly("clients[0].grantTypes: must list at least one grant type");
    }

    @Test
    void authorizationCodeNeedsARedirectUri() {
        assertThat(clientProblems(web().redirectUris(List.of()).build()))
                .containsExactly("clients[0].redirectUris: authorization_code needs at least one redirect URI");
        assertThat(clientProblems(web().redirectUris(List.of()).grantTypes(List.of("client_credentials")).build()))
                .isEmpty();
    }

    @Test
    void aPublicClientCannotTurnOffPkce() {
        assertThat(clientProblems(spa().requirePkce(false).build()))
                .containsExactly("clients[0].requirePkce: a public client must use PKCE");
        assertThat(clientProblems(web().requirePkce(false).build())).isEmpty();
    }

    @Test
    void aPublicClientMayNotUseClientCredentials() {
        assertThat(clientProblems(spa().grantTypes(List.of("authorization_code", "client_credentials")).build()))
                .containsExactly("clients[0].grantTypes: a public client may not use client_credentials");
    }

    @Test
    void aPublicClientMayNotUseTokenExchangeOrJwtBearer() {
        assertThat(clientProblems(spa().grantTypes(List.of("authorization_code", ClientConfig.TOKEN_EXCHANGE,
                ClientConfig.JWT_BEARER)).build())).containsExactly(
                "clients[0].grantTypes: a public client may not use urn:ietf:params:oauth:grant-type:token-exchange",
                "clients[0].grantTypes: a public client may not use urn:ietf:params:oauth:grant-type:jwt-bearer");
    }

    @Test
    void scopesMustBeScopeTokens() {
        assertThat(clientProblems(web().scopes(List.of("openid", "two words", "quo\"te", "")).build()))
                .extracting(Problems::pathOf)
                .containsExactly("clients[0].scopes[1]", "clients[0].scopes[2]", "clients[0].scopes[3]");
    }

    @Test
    void consentIsRequiredOrSkip() {
        assertThat(clientProblems(web().consent("never").build()))
                .containsExactly("clients[0].consent: must be required or skip");
    }

    @Test
    void audienceAndClaimEntriesAreNotBlank() {
        assertThat(clientProblems(web().audience(List.of(" ")).claims(List.of("email", "")).build()))
                .containsExactly("clients[0].audience[0]: must not be empty", "clients[0].claims[1]: must not be empty");
    }

    // --- clients: redirect URIs ---

    @ParameterizedTest
    @ValueSource(strings = {"/callback", "app.example.com/cb", "https://app.example.com/cb#x", "not a uri", ""})
    void aRedirectUriMustBeAbsoluteWithoutFragment(String uri) {
        assertThat(clientProblems(web().redirectUris(List.of(uri)).build()))
                .containsExactly("clients[0].redirectUris[0]: must be an absolute URI without a fragment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://app.example.com/cb", "http://192.168.1.2/cb", "javascript:alert(1)",
            "data:text/html,x", "myapp:/cb", "ftp://app.example.com/cb", "file:///etc/passwd"})
    void aRedirectUriMustBeHttpsLoopbackHttpOrAPrivateUseScheme(String uri) {
        assertThat(clientProblems(web().redirectUris(List.of(uri)).build())).containsExactly(
                "clients[0].redirectUris[0]: must use https, http on a loopback host, or a private-use scheme such as com.example.app (RFC 8252)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/cb?x=1", "http://127.0.0.1/cb", "http://127.0.0.1:51000/cb",
            "http://[::1]/cb", "http://localhost:3000/cb", "com.example.app:/oauth2redirect", "com.example.app:callback"})
    void httpsLoopbackAndPrivateUseRedirectUrisAreAccepted(String uri) {
        assertThat(clientProblems(web().redirectUris(List.of(uri)).build())).isEmpty();
    }

    @Test
    void postLogoutRedirectUrisFollowTheSameRule() {
        assertThat(clientProblems(web().postLogoutRedirectUris(List.of("https://app.example.com/bye", "http://evil.example/")).build()))
                .containsExactly("clients[0].postLogoutRedirectUris[1]: must use https, http on a loopback host, "
                        + "or a private-use scheme such as com.example.app (RFC 8252)");
    }

    // --- clients: subjects, signing, encryption, overrides ---

    @Test
    void subjectTypeIsPublicOrPairwise() {
        assertThat(clientProblems(web().subjectType("anonymous").build()))
                .containsExactly("clients[0].subjectType: must be public or pairwise");
    }

    @Test
    void aPairwiseClientNeedsThePairwiseSalt() {
        assertThat(clientProblems(web().build(), spa().subjectType("pairwise").build()))
                .containsExactly("subjects.pairwiseSalt: is required because clients[1] is pairwise");
        TesseraConfig salted = TesseraConfig.defaults(ISSUER).withSubjects(new SubjectsConfig("salt"))
                .withClients(List.of(spa().subjectType("pairwise").build()));
        assertThat(problems(salted)).isEmpty();
    }

    @Test
    void aPairwiseClientsRedirectUrisShareOneHost() {
        TesseraConfig config = TesseraConfig.defaults(ISSUER).withSubjects(new SubjectsConfig("salt"))
                .withClients(List.of(web().subjectType("pairwise")
                        .redirectUris(List.of("https://a.example.com/cb", "https://b.example.com/cb")).build()));

        assertThat(problems(config))
                .containsExactly("clients[0].redirectUris: a pairwise client's redirect URIs must share one host,"
                        + " or set sectorIdentifierUri to a document listing them all");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "none", "RS512", "rs256"})
    void theIdTokenSigningAlgIsRs256Es256OrPs256(String alg) {
        assertThat(clientProblems(web().idTokenSigningAlg(alg).build()))
                .containsExactly("clients[0].idTokenSigningAlg: must be RS256, ES256 or PS256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "none", "ES384", "ps256"})
    void theAccessTokenSigningAlgIsRs256Es256OrPs256(String alg) {
        assertThat(clientProblems(web().accessTokenSigningAlg(alg).build()))
                .containsExactly("clients[0].accessTokenSigningAlg: must be RS256, ES256 or PS256");
    }

    @Test
    void idTokenEncryptionNeedsAKnownAlgAndEncAndAJwksUri() {
        assertThat(clientProblems(web().idTokenEncryption(new ResponseEncryptionConfig("RSA1_5", "A192GCM", null)).build()))
                .containsExactly(
                        "clients[0].idTokenEncryption.alg: must be RSA-OAEP-256, ECDH-ES or ECDH-ES+A256KW",
                        "clients[0].idTokenEncryption.enc: must be A256GCM, A128GCM, A128CBC-HS256 or A256CBC-HS512",
                        "clients[0].idTokenEncryption.jwksUri: is required");
    }

    @Test
    void idTokenEncryptionKeysComeOverHttps() {
        assertThat(clientProblems(web().idTokenEncryption(
                new ResponseEncryptionConfig("ECDH-ES", "A128GCM", "http://app.example.com/jwks")).build()))
                .containsExactly("clients[0].idTokenEncryption.jwksUri: must be an absolute https URL (http only on a loopback host)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "none", "RS512", "es256"})
    void theUserinfoSigningAlgIsRs256Es256OrPs256(String alg) {
        assertThat(clientProblems(web().userinfoSignedResponseAlg(alg).build()))
                .containsExactly("clients[0].userinfoSignedResponseAlg: must be RS256, ES256 or PS256");
    }

    @Test
    void userinfoEncryptionFollowsTheIdTokenEncryptionRules() {
        assertThat(clientProblems(web().userinfoSignedResponseAlg("RS256")
                .userinfoEncryption(new ResponseEncryptionConfig("RSA1_5", "A192GCM", "http://app.example.com/jwks"))
                .build())).containsExactly(
                "clients[0].userinfoEncryption.alg: must be RSA-OAEP-256, ECDH-ES or ECDH-ES+A256KW",
                "clients[0].userinfoEncryption.enc: must be A256GCM, A128GCM, A128CBC-HS256 or A256CBC-HS512",
                "clients[0].userinfoEncryption.jwksUri: must be an absolute https URL (http only on a loopback host)");
    }

    @Test
    void userinfoEncryptionNeedsASignedUserinfoAnswerToEncrypt() {
        assertThat(clientProblems(web().userinfoEncryption(
                new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM", "https://app.example.com/jwks")).build()))
                .containsExactly("clients[0].userinfoEncryption: encrypts the signed userinfo answer; "
                        + "set userinfoSignedResponseAlg too");
    }

    @Test
    void signedAndEncryptedUserinfoIsAccepted() {
        assertThat(clientProblems(web().userinfoSignedResponseAlg("ES256").userinfoEncryption(
                new ResponseEncryptionConfig("ECDH-ES", null, "https://app.example.com/jwks")).build())).isEmpty();
    }

    @Test
    void idTokenEncryptionEncDefaultsToA128CbcHs256() {
        assertThat(new ResponseEncryptionConfig("RSA-OAEP-256", null, "https://a.example/jwks").enc())
                .isEqualTo("A128CBC-HS256");
    }

    @Test
    void perClientOverridesMustBeValid() {
        assertThat(clientProblems(web().accessTokenTtl(Duration.ZERO).idTokenTtl(Duration.ofSeconds(-5))
                .accessTokenFormat("cwt").build())).containsExactly(
                "clients[0].accessTokenTtl: must be longer than 0s",
                "clients[0].idTokenTtl: must be longer than 0s",
                "clients[0].accessTokenFormat: must be jwt or opaque");
    }

    // --- clients: ID-JAG policy ---

    private static IdJagConfig idJag(String audience) {
        return new IdJagConfig(audience, null, List.of("todo.read"), List.of("https://api.partner.example"), null, false);
    }

    /** A client that may hold ID-JAG policies: it has the token-exchange grant. */
    private static ClientConfig.Builder exchanger() {
        return web().grantTypes(List.of(ClientConfig.AUTHORIZATION_CODE, ClientConfig.TOKEN_EXCHANGE));
    }

    /** The clients' problems with ID-JAG issuing turned on. */
    private static List<String> idJagProblems(ClientConfig... clients) {
        return problems(TesseraConfig.defaults(ISSUER).withClients(List.of(clients))
                .withTokenExchange(new TokenExchangeConfig(List.of(TokenExchangeConfig.ID_JAG))));
    }

    @Test
    void aValidIdJagPolicyHasNoProblems() {
        assertThat(idJagProblems(exchanger().idJag(List.of(idJag("https://as.example"))).build())).isEmpty();
    }

    @Test
    void anIdJagPolicyNeedsTheTokenExchangeGrant() {
        assertThat(idJagProblems(web().idJag(List.of(idJag("https://as.example"))).build())).containsExactly(
                "clients[0].idJag: ID-JAGs are issued by token exchange; add "
                        + "urn:ietf:params:oauth:grant-type:token-exchange to this client's grantTypes");
    }

    @Test
    void anIdJagPolicyNeedsTokenExchangeToIssueIdJags() {
        TesseraConfig accessTokensOnly = TesseraConfig.defaults(ISSUER)
                .withTokenExchange(new TokenExchangeConfig(List.of(TokenExchangeConfig.ACCESS_TOKEN)))
                .withClients(List.of(exchanger().idJag(List.of(idJag("https://as.example"))).build()));

        assertThat(problems(accessTokensOnly)).containsExactly("clients[0].idJag: ID-JAGs are not issued unless "
                + "tokenExchange.tokenTypes lists urn:ietf:params:oauth:token-type:id-jag");
    }

    @Test
    void anIdJagAudienceIsAnAbsoluteUri() {
        assertThat(idJagProblems(exchanger().idJag(List.of(idJag("partner-as"))).build())).containsExactly(
                "clients[0].idJag[0].audience: must be an absolute URI without a fragment (the authorization server's issuer)");
        assertThat(idJagProblems(exchanger().idJag(List.of(idJag(null))).build()))
                .containsExactly("clients[0].idJag[0].audience: is required");
    }

    @Test
    void anIdJagAudienceIsListedOncePerClient() {
        assertThat(idJagProblems(exchanger().idJag(List.of(idJag("https://as.example"), idJag("https://as.example"))).build()))
                .containsExactly("clients[0].idJag[1].audience: is listed twice for this client");
    }

    @Test
    void theSameIdJagAudienceMayAppearInDifferentClients() {
        ClientConfig a = exchanger().idJag(List.of(idJag("https://as.example"))).build();
        ClientConfig other = ClientConfig.builder("other").secret("s").grantTypes(List.of(ClientConfig.TOKEN_EXCHANGE))
                .idJag(List.of(idJag("https://as.example"))).build();

        assertThat(idJagProblems(a, other)).isEmpty();
    }

    @Test
    void anIdJagSsoClientMustExist() {
        IdJagConfig entry = new IdJagConfig("https://as.example", null, List.of(), List.of(), "ghost", false);

        assertThat(idJagProblems(exchanger().idJag(List.of(entry)).build()))
                .containsExactly("clients[0].idJag[0].ssoClient: no client has this id");
        IdJagConfig self = new IdJagConfig("https://as.example", null, List.of(), List.of(), "web", false);
        assertThat(idJagProblems(exchanger().idJag(List.of(self)).build())).isEmpty();
    }

    @Test
    void idJagResourcesAreAbsoluteUrisWithoutFragment() {
        IdJagConfig entry = new IdJagConfig("https://as.example", null, List.of(),
                List.of("https://api.example", "api", "https://api.example#x"), null, false);

        assertThat(idJagProblems(exchanger().idJag(List.of(entry)).build())).containsExactly(
                "clients[0].idJag[0].resources[1]: must be an absolute URI without a fragment (RFC 8707)",
                "clients[0].idJag[0].resources[2]: must be an absolute URI without a fragment (RFC 8707)");
    }

    @Test
    void idJagScopesAreScopeTokensAndClientIdIsNotBlank() {
        IdJagConfig entry = new IdJagConfig("https://as.example", "", List.of("todo read"), List.of(), null, false);

        assertThat(idJagProblems(exchanger().idJag(List.of(entry)).build())).containsExactly(
                "clients[0].idJag[0].clientId: must not be empty (leave it out to use this client's id)",
                "clients[0].idJag[0].scopes[0]: must be a scope token (RFC 6749 section 3.3)");
    }

    // --- trusted issuers ---

    /** A confidential client that may present assertions: it has the jwt-bearer grant. */
    private static ClientConfig.Builder bearer() {
        return web().grantTypes(List.of(ClientConfig.AUTHORIZATION_CODE, ClientConfig.JWT_BEARER));
    }

    private static TesseraConfig withTrusted(TrustedIssuerConfig... issuers) {
        return TesseraConfig.defaults(ISSUER).withClients(List.of(bearer().build())).withTrustedIssuers(List.of(issuers));
    }

    private static TrustedIssuerConfig trusted(String issuer, String jwksUri) {
        return new TrustedIssuerConfig(issuer, jwksUri, null, List.of("web"));
    }

    @Test
    void aTrustedIssuerDefaultsToFiveMinuteAssertions() {
        assertThat(trusted("https://idp.example", "https://idp.example/jwks").maxAssertionLifetime())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(problems(withTrusted(trusted("https://idp.example", "https://idp.example/jwks")))).isEmpty();
    }

    @Test
    void aTrustedIssuerIsAnAbsoluteUrl() {
        assertThat(problems(withTrusted(trusted("idp.example", "https://idp.example/jwks"))))
                .containsExactly("trustedIssuers[0].issuer: must be an absolute http(s) URL without a fragment");
        assertThat(problems(withTrusted(trusted(null, "https://idp.example/jwks"))))
                .containsExactly("trustedIssuers[0].issuer: is required");
    }

    @Test
    void tesseraDoesNotTrustItself() {
        assertThat(problems(withTrusted(trusted(ISSUER, ISSUER + "/.well-known/jwks.json"))))
                .containsExactly("trustedIssuers[0].issuer: must not be Tessera's own issuer");
    }

    @Test
    void aTrustedIssuerIsListedOnce() {
        assertThat(problems(withTrusted(trusted("https://idp.example", "https://idp.example/jwks"),
                trusted("https://idp.example", "https://idp.example/jwks2"))))
                .containsExactly("trustedIssuers[1].issuer: is listed twice (also trustedIssuers[0])");
    }

    @Test
    void aTrustedIssuersJwksUriIsHttpsUnlessLoopback() {
        assertThat(problems(withTrusted(trusted("https://idp.example", "http://idp.example/jwks"))))
                .containsExactly("trustedIssuers[0].jwksUri: must be an absolute https URL (http only on a loopback host)");
        assertThat(problems(withTrusted(trusted("https://idp.example", null))))
                .containsExactly("trustedIssuers[0].jwksUri: is required");
        assertThat(problems(withTrusted(trusted("http://127.0.0.1:9000", "http://127.0.0.1:9000/jwks")))).isEmpty();
    }

    @Test
    void aTrustedIssuersMaxAssertionLifetimeIsPositive() {
        assertThat(problems(withTrusted(new TrustedIssuerConfig("https://idp.example", "https://idp.example/jwks",
                Duration.ZERO, List.of("web")))))
                .containsExactly("trustedIssuers[0].maxAssertionLifetime: must be longer than 0s");
    }

    @Test
    void aTrustedIssuersAllowedClientsMustExist() {
        assertThat(problems(withTrusted(new TrustedIssuerConfig("https://idp.example", "https://idp.example/jwks",
                null, List.of("web", "ghost")))))
                .containsExactly("trustedIssuers[0].allowedClients[1]: no client has this id");
    }

    @Test
    void aTrustedIssuersAllowedClientMustBeConfidential() {
        ClientConfig spa = spa().grantTypes(List.of(ClientConfig.AUTHORIZATION_CODE)).build();
        TesseraConfig config = TesseraConfig.defaults(ISSUER).withClients(List.of(bearer().build(), spa))
                .withTrustedIssuers(List.of(new TrustedIssuerConfig("https://idp.example", "https://idp.example/jwks",
                        null, List.of("web", "spa"))));

        assertThat(problems(config)).containsExactly("trustedIssuers[0].allowedClients[1]: is a public client; "
                + "only confidential clients may use the jwt-bearer grant");
    }

    @Test
    void aTrustedIssuersAllowedClientNeedsTheJwtBearerGrant() {
        TesseraConfig config = TesseraConfig.defaults(ISSUER).withClients(List.of(web().build()))
                .withTrustedIssuers(List.of(trusted("https://idp.example", "https://idp.example/jwks")));

        assertThat(problems(config)).containsExactly("trustedIssuers[0].allowedClients[0]: this client's grantTypes "
                + "lack urn:ietf:params:oauth:grant-type:jwt-bearer");
    }

    @Test
    void aJwtBearerClientThatNoTrustedIssuerListsIsValid() {
        // Its assertions get invalid_grant until an issuer lists it; that is a policy, not a broken config.
        assertThat(clientProblems(bearer().build())).isEmpty();
        assertThat(problems(withTrusted(new TrustedIssuerConfig("https://idp.example", "https://idp.example/jwks",
                null, List.of())))).isEmpty();
    }

    // --- users ---

    private static UserConfig.Builder alice() {
        return UserConfig.builder("alice").password("correct horse");
    }

    /** The users' problems with https://idp.example trusted. */
    private static List<String> linkedUserProblems(UserConfig... users) {
        return problems(TesseraConfig.defaults(ISSUER).withUsers(List.of(users)).withTrustedIssuers(List.of(
                new TrustedIssuerConfig("https://idp.example", "https://idp.example/jwks", null, List.of()))));
    }

    @Test
    void aUsernameIsRequired() {
        assertThat(userProblems(UserConfig.builder(" ").password("bob-password-42").build()))
                .containsExactly("users[0].username: is required");
        assertThat(userProblems(UserConfig.builder(null).id("x").password("bob-password-42").build()))
                .containsExactly("users[0].username: is required");
    }

    @Test
    void usernamesAreUnique() {
        assertThat(userProblems(alice().build(), UserConfig.builder("bob").password("bob-password-42").build(), alice().build()))
                .containsExactly("users[2].username: is already used by users[0]");
    }

    @Test
    void userIdsAreUnique() {
        assertThat(userProblems(alice().id("u1").build(), UserConfig.builder("bob").id("u1").password("bob-password-42").build()))
                .containsExactly("users[1].id: is already used by users[0]");
    }

    @Test
    void theDefaultUserIdIsStableAndDerivedFromTheUsername() {
        assertThat(alice().build().id()).isEqualTo(alice().build().id()).isEqualTo(UserConfig.defaultId("alice"))
                .isNotEqualTo(UserConfig.defaultId("bob")).doesNotContain("alice");
    }

    @Test
    void aUserHasExactlyOneOfPasswordAndPasswordHash() {
        assertThat(userProblems(alice().passwordHash(ARGON2_HASH).build()))
                .containsExactly("users[0].passwordHash: set only one of password and passwordHash");
        assertThat(userProblems(UserConfig.builder("alice").build()))
                .containsExactly("users[0].password: one of password or passwordHash is required");
        assertThat(userProblems(UserConfig.builder("alice").passwordHash(ARGON2_HASH).build())).isEmpty();
    }

    @Test
    void anEmptyPasswordIsRefused() {
        assertThat(userProblems(UserConfig.builder("alice").password("").build()))
                .containsExactly("users[0].password: must not be empty");
    }

    @Test
    void aUserPasswordShorterThanPasswordsMinLengthIsRefused() {
        assertThat(userProblems(UserConfig.builder("alice").password("eleven-char").build())).containsExactly(
                "users[0].password: must have at least 12 characters (passwords.minLength)");
        assertThat(userProblems(UserConfig.builder("alice").password("twelve-chars").build())).isEmpty();
        // Characters as a person counts them: eleven letters and one emoji are twelve.
        assertThat(userProblems(UserConfig.builder("alice").password("elevenchars\uD83D\uDD11").build())).isEmpty();
        assertThat(problems(TesseraConfig.defaults(ISSUER).withPasswords(new PasswordsConfig(20))
                .withUsers(List.of(UserConfig.builder("alice").password("nineteen-characters").build()))))
                .containsExactly("users[0].password: must have at least 20 characters (passwords.minLength)");
        // A hash is someone else's choice of password; it cannot be measured.
        assertThat(userProblems(UserConfig.builder("alice").passwordHash(ARGON2_HASH).build())).isEmpty();
    }

    @Test
    void aTotpSecretIsBase32OfAtLeast128Bits() {
        assertThat(userProblems(UserConfig.builder("alice").password("twelve-chars").totpSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").build())).isEmpty();
        assertThat(userProblems(UserConfig.builder("alice").password("twelve-chars").totpSecret("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp").build())).isEmpty();
        assertThat(userProblems(UserConfig.builder("alice").password("twelve-chars").totpSecret("JBSWY3DPEHPK3PXP").build()))
                .containsExactly("users[0].totp.secret: is too short: at least 128 bits (26 base32 characters); 160 bits (32) are recommended");
        assertThat(userProblems(UserConfig.builder("alice").password("twelve-chars").totpSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX1").build()))
                .containsExactly("users[0].totp.secret: must be base32 (RFC 4648: letters A-Z and digits 2-7)");
    }

    @Test
    void aTotpSecretNeverAppearsInProblemsOrInToString() {
        String secret = "JBSWY3DPEHPK3PX1";
        UserConfig user = UserConfig.builder("alice").password("twelve-chars").totpSecret(secret).build();

        assertThat(userProblems(user)).allSatisfy(problem -> assertThat(problem).doesNotContain(secret));
        assertThat(user.toString()).doesNotContain(secret);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-text", "$argon2i$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
            "$2b$12$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA",
            "{bcrypt}x"})
    void aPasswordHashMustBeAnArgon2idPhcString(String hash) {
        assertThat(userProblems(UserConfig.builder("alice").passwordHash(hash).build())).containsExactly(
                "users[0].passwordHash: must be an Argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)");
    }

    private static final Map<String, Object> VERIFIED = Map.of(
            "verification", Map.of("trust_framework", "eidas", "assurance_level", "substantial"),
            "claims", Map.of("given_name", "Alice", "family_name", "Example"));

    @Test
    void verifiedClaimsAreOneObjectOrAnArrayOfObjectsWithVerificationAndClaims() {
        assertThat(userProblems(alice().verifiedClaims(VERIFIED).build())).isEmpty();
        assertThat(userProblems(alice().verifiedClaims(List.of(VERIFIED, VERIFIED)).build())).isEmpty();
        assertThat(userProblems(alice().verifiedClaims(Map.of("verification", Map.of("trust_framework", "de_aml"),
                "claims", Map.of())).build())).isEmpty();
    }

    @Test
    void verifiedClaimsWithoutVerificationOrClaimsAreRefused() {
        assertThat(userProblems(alice().verifiedClaims(Map.of("claims", Map.of("given_name", "A"))).build()))
                .containsExactly("users[0].verifiedClaims.verification: is required (an object with trust_framework; "
                        + "OpenID Connect for Identity Assurance 1.0)");
        assertThat(userProblems(alice().verifiedClaims(Map.of("verification", Map.of("trust_framework", "eidas")))
                .build())).containsExactly("users[0].verifiedClaims.claims: is required (an object holding the verified claims)");
    }

    @Test
    void verifiedClaimsOfTheWrongShapeAreRefusedAtTheirKeyPath() {
        assertThat(userProblems(alice().verifiedClaims(Map.of("verification", "eidas", "claims", List.of("a"))).build()))
                .containsExactly("users[0].verifiedClaims.verification: must be an object",
                        "users[0].verifiedClaims.claims: must be an object");
        assertThat(userProblems(alice().verifiedClaims(Map.of("verification", Map.of("trust_framework", 3),
                "claims", Map.of())).build()))
                .containsExactly("users[0].verifiedClaims.verification.trust_framework: must be a non-empty string");
        assertThat(userProblems(alice().verifiedClaims(Map.of("verification", Map.of("time", "2020"),
                "claims", Map.of())).build()))
                .containsExactly("users[0].verifiedClaims.verification.trust_framework: is required");
        assertThat(userProblems(alice().verifiedClaims(List.of(VERIFIED, "x", Map.of("claims", Map.of()))).build()))
                .containsExactly("users[0].verifiedClaims[1]: must be an object with verification and claims",
                        "users[0].verifiedClaims[2].verification: is required (an object with trust_framework; "
                                + "OpenID Connect for Identity Assurance 1.0)");
        assertThat(userProblems(alice().verifiedClaims(List.of()).build()))
                .containsExactly("users[0].verifiedClaims: must not be an empty list (leave it out for none)");
        assertThat(userProblems(alice().verifiedClaims("eidas").build()))
                .containsExactly("users[0].verifiedClaims: must be an object with verification and claims, "
                        + "or a list of such objects");
    }

    @Test
    void verifiedEvidenceMustBeAListOfObjectsNamingTheirType() {
        assertThat(userProblems(alice().verifiedClaims(Map.of("verification", Map.of("trust_framework", "de_aml",
                "evidence", List.of(Map.of("type", "document"), Map.of("method", "pipp"), "utility_bill")),
                "claims", Map.of("given_name", "A"))).build()))
                .containsExactly("users[0].verifiedClaims.verification.evidence[1].type: is required "
                                + "(for example document or electronic_record)",
                        "users[0].verifiedClaims.verification.evidence[2]: must be an object with a type");
        assertThat(userProblems(alice().verifiedClaims(Map.of("verification", Map.of("trust_framework", "de_aml",
                "evidence", "document"), "claims", Map.of("given_name", "A"))).build()))
                .containsExactly("users[0].verifiedClaims.verification.evidence: must be a list of objects, each with a type");
    }

    @Test
    void aUserCannotConfigureClaimsTesseraSets() {
        assertThat(userProblems(alice().claims(Map.of("sub", "admin", "email", "a@example.com")).build()))
                .containsExactly("users[0].claims.sub: is set by Tessera and cannot be configured");
    }

    @Test
    void aLinkNeedsAnAbsoluteIssuerAndASubject() {
        assertThat(userProblems(alice().links(List.of(new AccountLinkConfig("partner", ""))).build())).containsExactly(
                "users[0].links[0].issuer: must be an absolute http(s) URL",
                "users[0].links[0].subject: is required");
    }

    @Test
    void aLinkToATrustedIssuerIsValid() {
        assertThat(linkedUserProblems(alice().links(List.of(new AccountLinkConfig("https://idp.example", "00u1")))
                .build())).isEmpty();
    }

    @Test
    void aLinkMustNameATrustedIssuer() {
        // Compared exactly, as the jwt-bearer grant compares iss: a trailing slash is another issuer.
        assertThat(linkedUserProblems(alice().links(List.of(new AccountLinkConfig("https://idp.example/", "00u1"),
                new AccountLinkConfig("https://other.example", "00u1"))).build())).containsExactly(
                "users[0].links[0].issuer: is not a trusted issuer; add it to trustedIssuers",
                "users[0].links[1].issuer: is not a trusted issuer; add it to trustedIssuers");
        assertThat(userProblems(alice().links(List.of(new AccountLinkConfig("https://idp.example", "00u1"))).build()))
                .containsExactly("users[0].links[0].issuer: is not a trusted issuer; add it to trustedIssuers");
    }

    @Test
    void accountLinkProblemsAppliesTheLinkRuleToOneLink() {
        List<TrustedIssuerConfig> trusted = List.of(
                new TrustedIssuerConfig("https://idp.example", "https://idp.example/jwks", null, List.of()));

        assertThat(ConfigValidator.accountLinkProblems(new AccountLinkConfig("https://idp.example", "00u1"), trusted))
                .isEmpty();
        assertThat(ConfigValidator.accountLinkProblems(new AccountLinkConfig("https://evil.example", "00u1"), trusted))
                .containsExactly("issuer: is not a trusted issuer; add it to trustedIssuers");
        assertThat(ConfigValidator.accountLinkProblems(new AccountLinkConfig("idp", ""), trusted))
                .containsExactly("issuer: must be an absolute http(s) URL", "subject: is required");
    }

    @Test
    void oneOutsideAccountLinksToOneUserOnly() {
        AccountLinkConfig link = new AccountLinkConfig("https://idp.example", "00u1");

        assertThat(linkedUserProblems(alice().links(List.of(link)).build(),
                UserConfig.builder("bob").password("bob-password-42").links(List.of(link)).build()))
                .containsExactly("users[1].links[0]: this account is already linked at users[0].links[0]");
    }

    @Test
    void rolesAreNotBlank() {
        assertThat(userProblems(alice().roles(List.of("admin", " ")).build()))
                .containsExactly("users[0].roles[1]: must not be empty");
    }
}
