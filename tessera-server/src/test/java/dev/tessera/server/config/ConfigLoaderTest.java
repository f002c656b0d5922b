package dev.tessera.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final String ARGON2_HASH =
            "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$UQtP1M9o0Ry7mWqNw3xYgFzr7l2kq1m8VbE0xqg3d7A";

    /** A salted SHA-256 of "agent-secret" as ClientSecrets writes it. */
    static final String SECRET_HASH = "sha256$dGVzc2VyYS10ZXN0LXNhbA$j0jynYYWU7TE9HmGzCC-jbKilsShMkMdoe4vQCIif-c";
    static final String FULL_EXAMPLE = """
            issuer: https://id.example.com
            http: { host: 0.0.0.0, port: 8443, trustedProxies: [10.0.0.0/8, "2001:db8::/32", 192.168.1.7], shutdownGrace: 45s }
            metrics: { host: 10.0.0.5, port: 9090 }
            sessions: { idleTimeout: 30m, maxLifetime: 8h }
            passwords: { minLength: 14 }
            acr:
              levels: [urn:example:acr:silver, urn:example:acr:gold]
            storage:
              type: postgres
              url: jdbc:postgresql://db:5432/tessera
              username: tessera
              password: ${DB_PASSWORD}
              poolSize: 20
              connectionTimeout: 500ms
            keys:
              dir: /etc/tessera/keys
              generate: false
              provider: jdk
            tokens:
              accessTokenTtl: 10m
              idTokenTtl: 5m
              refreshTokenTtl: 7d
              refreshTokenMaxTtl: 60d
              authorizationCodeTtl: 30s
              idJagTtl: 2m
              refreshTokenReuseGrace: 10s
              accessTokenFormat: opaque
            subjects:
              pairwiseSalt: ${PAIRWISE_SALT}
            registration: { enabled: true }
            tokenExchange:
              tokenTypes:
                - urn:ietf:params:oauth:token-type:access_token
                - urn:ietf:params:oauth:token-type:id-jag
            trustedIssuers:
              - issuer: https://idp.partner.example
                jwksUri: https://idp.partner.example/.well-known/jwks.json
                maxAssertionLifetime: 3m
                allowedClients: [agent-app]
            clients:
              - id: web
                name: Example Web App
                secret: ${WEB_SECRET}
                public: false
                redirectUris: [https://app.example.com/callback]
                postLogoutRedirectUris: [https://app.example.com/bye]
                grantTypes: [authorization_code, refresh_token]
                scopes: [openid, profile, email, offline_access]
                tokenEndpointAuthMethod: client_secret_post
                audience: [https://api.example.com]
                claims: [email, name]
                consent: skip
                accessTokenTtl: 20m
                idTokenTtl: 3m
                subjectType: pairwise
                idTokenSigningAlg: PS256
                accessTokenSigningAlg: ES256
                idTokenEncryption: { alg: RSA-OAEP-256, enc: A256GCM, jwksUri: https://app.example.com/jwks }
                userinfoSignedResponseAlg: ES256
                userinfoEncryption: { alg: ECDH-ES, jwksUri: https://app.example.com/jwks }
                introspect: true
                accessTokenFormat: jwt
              - id: agent-app
                secretHash: %s
                grantTypes:
                  - urn:ietf:params:oauth:grant-type:token-exchange
                  - urn:ietf:params:oauth:grant-type:jwt-bearer
                idJag:
                  - audience: https://as.partner.example
                    clientId: agent-at-partner
                    scopes: [todo.read]
                    resources: [https://api.partner.example]
                    ssoClient: web
                    email: true
              - id: cli
                public: true
                redirectUris: ["http://127.0.0.1/callback", "com.example.cli:/oauth2redirect"]
            users:
              - username: alice
                password: ${ALICE_PASSWORD}
                roles: [admin]
                claims: { email: alice@example.com, email_verified: true, name: Alice Example, age: 42 }
                verifiedClaims:
                  verification: { trust_framework: eidas }
                  claims: { given_name: Alice }
                links: [{ issuer: https://idp.partner.example, subject: "00u1abc" }]
                totp: { secret: JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP }
              - id: bob-id
                username: bob
                passwordHash: %s
            """.formatted(SECRET_HASH, ARGON2_HASH);

    static final Map<String, String> FULL_ENV = Map.of("DB_PASSWORD", "db-pw", "PAIRWISE_SALT", "salty",
            "WEB_SECRET", "a-very-long-web-client-secret-value-123", "ALICE_PASSWORD", "alice-long-password");

    @Test
    void aMinimalFileGetsEverySpecDefault() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://id.example.com\n", Map.of());

        assertThat(config).isEqualTo(TesseraConfig.defaults("https://id.example.com"));
        assertThat(config.http()).isEqualTo(new HttpConfig("0.0.0.0", 8080));
        assertThat(config.http().trustedProxies()).isEmpty();
        assertThat(config.http().shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.sessions()).isEqualTo(new SessionsConfig(Duration.ofHours(1), Duration.ofHours(12)));
        assertThat(config.passwords()).isEqualTo(new PasswordsConfig(12));
        assertThat(config.acr()).isEqualTo(AcrConfig.defaults());
        assertThat(config.storage().type()).isEqualTo("h2");
        assertThat(config.storage().path()).isEqualTo(Path.of("./data/tessera"));
        assertThat(config.keys()).isEqualTo(new KeysConfig(Path.of("./keys"), false, "auto"));
        TokensConfig tokens = config.tokens();
        assertThat(tokens.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(tokens.idTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(tokens.refreshTokenTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(tokens.refreshTokenMaxTtl()).isEqualTo(Duration.ofDays(90));
        assertThat(tokens.authorizationCodeTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(tokens.idJagTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tokens.refreshTokenReuseGrace()).isEqualTo(Duration.ZERO);
        assertThat(tokens.accessTokenFormat()).isEqualTo("jwt");
        assertThat(config.subjects().pairwiseSalt()).isNull();
        assertThat(config.registration().enabled()).isFalse();
        assertThat(config.tokenExchange().tokenTypes()).isEmpty();
        assertThat(config.trustedIssuers()).isEmpty();
        assertThat(config.clients()).isEmpty();
        assertThat(config.users()).isEmpty();
    }

    @Test
    void aClientWithOnlyTheEssentialsGetsTheClientDefaults() {
        TesseraConfig config = ConfigLoader.parse("""
                issuer: https://id.example.com
                clients:
                  - id: web
                    secret: s
                    redirectUris: [https://app.example.com/cb]
                  - id: spa
                    public: true
                    redirectUris: [https://spa.example.com/cb]
                """, Map.of());

        ClientConfig web = config.clients().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.publicClient()).isFalse();
        assertThat(web.grantTypes()).containsExactly("authorization_code", "refresh_token");
        assertThat(web.scopes()).containsExactly("openid");
        assertThat(web.tokenEndpointAuthMethod()).isEqualTo("client_secret_basic");
        assertThat(web.consent()).isEqualTo("required");
        assertThat(web.subjectType()).isEqualTo("public");
        assertThat(web.idTokenSigningAlg()).isEqualTo("RS256");
        assertThat(web.accessTokenSigningAlg()).isEqualTo("RS256");
        assertThat(web.introspect()).isFalse();
        assertThat(web.accessTokenTtl()).isNull();
        assertThat(web.idTokenTtl()).isNull();
        assertThat(web.accessTokenFormat()).isNull();
        assertThat(web.idTokenEncryption()).isNull();
        assertThat(web.idJag()).isEmpty();
        assertThat(web.audience()).isEmpty();
        assertThat(web.postLogoutRedirectUris()).isEmpty();
        assertThat(config.clients().get(1).tokenEndpointAuthMethod()).isEqualTo("none");
    }

    @Test
    void theFullSpecExampleParsesIntoEveryField() {
        TesseraConfig config = ConfigLoader.parse(FULL_EXAMPLE, FULL_ENV);

        assertThat(config.issuer()).isEqualTo("https://id.example.com");
        assertThat(config.http().port()).isEqualTo(8443);
        assertThat(config.http().trustedProxies()).containsExactly("10.0.0.0/8", "2001:db8::/32", "192.168.1.7");
        assertThat(config.http().shutdownGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.sessions()).isEqualTo(new SessionsConfig(Duration.ofMinutes(30), Duration.ofHours(8)));
        assertThat(config.passwords()).isEqualTo(new PasswordsConfig(14));
        assertThat(config.acr().levels()).containsExactly("urn:example:acr:silver", "urn:example:acr:gold");
        assertThat(config.storage()).isEqualTo(new StorageConfig("postgres", Path.of("./data/tessera"),
                "jdbc:postgresql://db:5432/tessera", "tessera", "db-pw", 20, Duration.ofMillis(500)));
        assertThat(config.keys()).isEqualTo(new KeysConfig(Path.of("/etc/tessera/keys"), false, "jdk"));
        assertThat(config.tokens()).isEqualTo(new TokensConfig(Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofDays(7), Duration.ofDays(60), Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofSeconds(10), "opaque"));
        assertThat(config.subjects().pairwiseSalt()).isEqualTo("salty");
        assertThat(config.registration().enabled()).isTrue();
        assertThat(config.tokenExchange().tokenTypes()).containsExactly(
                TokenExchangeConfig.ACCESS_TOKEN, TokenExchangeConfig.ID_JAG);
        assertThat(config.trustedIssuers()).containsExactly(new TrustedIssuerConfig("https://idp.partner.example",
                "https://idp.partner.example/.well-known/jwks.json", Duration.ofMinutes(3), List.of("agent-app")));

        ClientConfig web = config.clients().get(0);
        assertThat(web.name()).isEqualTo("Example Web App");
        assertThat(web.secret()).isEqualTo("a-very-long-web-client-secret-value-123");
        assertThat(web.redirectUris()).containsExactly("https://app.example.com/callback");
        assertThat(web.postLogoutRedirectUris()).containsExactly("https://app.example.com/bye");
        assertThat(web.scopes()).containsExactly("openid", "profile", "email", "offline_access");
        assertThat(web.tokenEndpointAuthMethod()).isEqualTo("client_secret_post");
        assertThat(web.audience()).containsExactly("https://api.example.com");
        assertThat(web.claims()).containsExactly("email", "name");
        assertThat(web.consent()).isEqualTo("skip");
        assertThat(web.accessTokenTtl()).isEqualTo(Duration.ofMinutes(20));
        assertThat(web.idTokenTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(web.subjectType()).isEqualTo("pairwise");
        assertThat(web.idTokenSigningAlg()).isEqualTo("PS256");
        assertThat(web.accessTokenSigningAlg()).isEqualTo("ES256");
        assertThat(web.idTokenEncryption()).isEqualTo(
                new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM", "https://app.example.com/jwks"));
        assertThat(web.userinfoSignedResponseAlg()).isEqualTo("ES256");
        assertThat(web.userinfoEncryption()).isEqualTo(
                new ResponseEncryptionConfig("ECDH-ES", "A128CBC-HS256", "https://app.example.com/jwks"));
        assertThat(web.introspect()).isTrue();
        assertThat(web.accessTokenFormat()).isEqualTo("jwt");

        ClientConfig agent = config.clients().get(1);
        assertThat(agent.secretHash()).isEqualTo(SECRET_HASH);
        assertThat(agent.grantTypes()).containsExactly(ClientConfig.TOKEN_EXCHANGE, ClientConfig.JWT_BEARER);
        assertThat(agent.idJag()).containsExactly(new IdJagConfig("https://as.partner.example", "agent-at-partner",
                List.of("todo.read"), List.of("https://api.partner.example"), "web", true));

        ClientConfig cli = config.clients().get(2);
        assertThat(cli.publicClient()).isTrue();
        assertThat(cli.redirectUris()).containsExactly("http://127.0.0.1/callback", "com.example.cli:/oauth2redirect");

        UserConfig alice = config.users().get(0);
        assertThat(alice.username()).isEqualTo("alice");
        assertThat(alice.id()).isEqualTo(UserConfig.defaultId("alice"));
        assertThat(alice.password()).isEqualTo("alice-long-password");
        assertThat(alice.roles()).containsExactly("admin");
        assertThat(alice.claims()).containsEntry("email", "alice@example.com").containsEntry("email_verified", true)
                .containsEntry("name", "Alice Example").containsEntry("age", 42);
        assertThat(alice.verifiedClaims()).isEqualTo(Map.of("verification", Map.of("trust_framework", "eidas"),
                "claims", Map.of("given_name", "Alice")));
        assertThat(alice.links()).containsExactly(new AccountLinkConfig("https://idp.partner.example", "00u1abc"));
        assertThat(alice.totpSecret()).isEqualTo("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

        UserConfig bob = config.users().get(1);
        assertThat(bob.id()).isEqualTo("bob-id");
        assertThat(bob.passwordHash()).isEqualTo(ARGON2_HASH);
        assertThat(bob.password()).isNull();
    }

    @Test
    void metricsDefaultToTheMainListener() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://id.example.com\n", Map.of());

        assertThat(config.metrics()).isEqualTo(new MetricsConfig("", 0));
        assertThat(ConfigLoader.parse(FULL_EXAMPLE, FULL_ENV).metrics()).isEqualTo(new MetricsConfig("10.0.0.5", 9090));
    }

    @Test
    void privateKeyJwtClientsReadJwksUriOrInlineJwks() {
        TesseraConfig config = ConfigLoader.parse("""
            issuer: https://id.example.com
            clients:
              - id: by-uri
                tokenEndpointAuthMethod: private_key_jwt
                grantTypes: [client_credentials]
                jwksUri: https://agent.example.com/jwks.json
              - id: inline
                tokenEndpointAuthMethod: private_key_jwt
                grantTypes: [client_credentials]
                jwks:
                  keys:
                    - { kty: EC, crv: P-256, kid: k1, x: f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU, y: x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0 }
            """, Map.of());

        assertThat(config.clients().get(0).jwksUri()).isEqualTo("https://agent.example.com/jwks.json");
        assertThat(config.clients().get(1).jwks()).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) config.clients().get(1).jwks()).get("keys")).asList().hasSize(1);
    }

    @Test
    void verifiedClaimsMayBeAListOfObjects() {
        TesseraConfig config = ConfigLoader.parse("""
                issuer: https://id.example.com
                users:
                  - username: alice
                    password: a-password-for-alice
                    verifiedClaims:
                      - verification: { trust_framework: eidas }
                        claims: { given_name: Alice }
                      - verification: { trust_framework: de_aml }
                        claims: { family_name: Example }
                """, Map.of());

        assertThat(config.users().get(0).verifiedClaims()).isEqualTo(List.of(
                Map.of("verification", Map.of("trust_framework", "eidas"), "claims", Map.of("given_name", "Alice")),
                Map.of("verification", Map.of("trust_framework", "de_aml"), "claims", Map.of("family_name", "Example"))));
    }

    @Test
    void verifiedClaimsOfTheWrongShapeStopStartupWithTheirKeyPath() {
        assertThat(problemsOf("""
                issuer: https://id.example.com
                users:
                  - username: alice
                    password: a-password-for-alice
                    verifiedClaims: { claims: { given_name: Alice } }
                """)).containsExactly("users[0].verifiedClaims.verification: is required (an object with "
                + "trust_framework; OpenID Connect for Identity Assurance 1.0)");
        assertThat(problemsOf("""
                issuer: https://id.example.com
                users:
                  - username: alice
                    password: a-password-for-alice
                    verifiedClaims: eidas
                """)).containsExactly("users[0].verifiedClaims: must be an object with verification and claims, "
                + "or a list of such objects");
    }

    @Test
    void loadsAFileFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tessera.yaml");
        Files.writeString(file, "issuer: http://localhost:8080\nhttp: { port: 9000 }\n");

        TesseraConfig config = ConfigLoader.load(file, Map.of());

        assertThat(config.http().port()).isEqualTo(9000);
    }

    @Test
    void aShutdownGraceOutsideZeroToTenMinutesOrWithoutAUnitIsAProblemNamingTheKey() {
        String base = "issuer: https://id.example.com\nhttp:\n  shutdownGrace: ";

        assertThat(problemsOf(base + "11m\n")).containsExactly("http.shutdownGrace: must be between 0s and 10m"
                + " (how long requests in flight may finish after SIGTERM)");
        assertThat(problemsOf(base + "30\n")).singleElement().asString().startsWith("http.shutdownGrace: must be a duration");
        assertThat(problemsOf(base + "-5s\n")).singleElement().asString().startsWith("http.shutdownGrace: must be a duration");
        assertThat(ConfigLoader.parse(base + "0s\n", Map.of()).http().shutdownGrace()).isZero();
        assertThat(ConfigLoader.parse(base + "10m\n", Map.of()).http().shutdownGrace()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aMissingFileIsAProblemNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e ->
                        assertThat(e.problems()).containsExactly(file + ": file not found"));
    }

    @Test
    void anEmptyFileReportsTheMissingIssuer() {
        assertThat(problemsOf("")).containsExactly("issuer: is required");
        assertThat(problemsOf("# only a comment\n")).containsExactly("issuer: is required");
    }

    // --- environment expansion ---

    @Test
    void expandsVariablesInsideLongerValues() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://${HOST}:${PORT}/tenant\n",
                Map.of("HOST", "id.example.com", "PORT", "8443"));

        assertThat(config.issuer()).isEqualTo("https://id.example.com:8443/tenant");
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnsetOrEmpty() {
        String yaml = "issuer: ${ISSUER:-http://127.0.0.1:8080}\nhttp: { port: \"${PORT:-9090}\" }\n";

        assertThat(ConfigLoader.parse(yaml, Map.of()).issuer()).isEqualTo("http://127.0.0.1:8080");
        assertThat(ConfigLoader.parse(yaml, Map.of()).http().port()).isEqualTo(9090);
        assertThat(ConfigLoader.parse(yaml, Map.of("ISSUER", "")).issuer()).isEqualTo("http://127.0.0.1:8080");
        assertThat(ConfigLoader.parse(yaml, Map.of("ISSUER", "https://id.example.com")).issuer())
                .isEqualTo("https://id.example.com");
    }

    @Test
    void anEmptyDefaultIsAllowed() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://id.example.com\nstorage: { path: \"./db${SUFFIX:-}\" }\n",
                Map.of());

        assertThat(config.storage().path()).isEqualTo(Path.of("./db"));
        assertThat(config.storage().poolSize()).isEqualTo(StorageConfig.DEFAULT_POOL_SIZE);
        assertThat(config.storage().connectionTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void expandsNumbersAndBooleansFromVariables() {
        TesseraConfig config = ConfigLoader.parse("""
                issuer: https://id.example.com
                http: { port: "${PORT}" }
                keys: { generate: "${GEN}" }
                tokens: { accessTokenTtl: "${TTL}" }
                """, Map.of("PORT", "7000", "GEN", "true", "TTL", "2m"));

        assertThat(config.http().port()).isEqualTo(7000);
        assertThat(config.keys().generate()).isTrue();
        assertThat(config.tokens().accessTokenTtl()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void anUnsetVariableWithoutDefaultNamesTheKeyPathAndTheVariable() {
        assertThat(problemsOf("""
                issuer: https://id.example.com
                clients:
                  - id: web
                    secret: ${WEB_SECRET}
                    redirectUris: [https://app.example.com/cb]
                """)).containsExactly("clients[0].secret: environment variable WEB_SECRET is not set");
    }

    @Test
    void everyUnsetVariableIsReported() {
        assertThat(problemsOf("issuer: https://${A}/${B}\n")).containsExactly(
                "issuer: environment variable A is not set", "issuer: environment variable B is not set");
    }

    @Test
    void aVariableValueIsNotExpandedAgain() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://id.example.com\nsubjects: { pairwiseSalt: \"${SALT}\" }\n",
                Map.of("SALT", "${OTHER}", "OTHER", "leaked"));

        assertThat(config.subjects().pairwiseSalt()).isEqualTo("${OTHER}");
    }

    @Test
    void aVariableValueCannotAddYamlStructure() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://id.example.com\nsubjects: { pairwiseSalt: \"${SALT}\" }\n",
                Map.of("SALT", "x\nregistration: { enabled: true }"));

        assertThat(config.registration().enabled()).isFalse();
        assertThat(config.subjects().pairwiseSalt()).isEqualTo("x\nregistration: { enabled: true }");
    }

    @Test
    void doubleDollarEscapesALiteralReference() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://id.example.com\nsubjects: { pairwiseSalt: \"a$${NOT_A_VAR}b\" }\n",
                Map.of());

        assertThat(config.subjects().pairwiseSalt()).isEqualTo("a${NOT_A_VAR}b");
    }

    @Test
    void aDollarThatIsNotAReferenceStaysAsItIs() {
        TesseraConfig config = ConfigLoader.parse("issuer: https://id.example.com\nsubjects: { pairwiseSalt: \"$5 a$b $\" }\n",
                Map.of());

        assertThat(config.subjects().pairwiseSalt()).isEqualTo("$5 a$b $");
    }

    @Test
    void malformedReferencesAreProblems() {
        assertThat(problemsOf("issuer: https://${HOST\n"))
                .containsExactly("issuer: has a ${ without its closing }");
        assertThat(problemsOf("issuer: https://${1HOST}\n"))
                .containsExactly("issuer: has an invalid variable reference; write ${NAME} or ${NAME:-default}");
    }

    @Test
    void keysAreNotExpanded() {
        assertThat(problemsOf("issuer: https://id.example.com\n\"${KEY}\": x\n", Map.of("KEY", "issuer")))
                .containsExactly("${KEY}: unknown key");
    }

    @Test
    void variablesInsideFreeFormClaimsAreExpanded() {
        TesseraConfig config = ConfigLoader.parse("""
                issuer: https://id.example.com
                users:
                  - username: alice
                    password: a-long-password
                    claims: { email: "${EMAIL}", address: { locality: "${CITY:-Paris}" } }
                """, Map.of("EMAIL", "alice@example.com"));

        assertThat(config.users().get(0).claims()).containsEntry("email", "alice@example.com")
                .containsEntry("address", Map.of("locality", "Paris"));
    }

    // --- unknown keys and wrong shapes ---

    @Test
    void anUnknownTopLevelKeyIsAProblem() {
        assertThat(problemsOf("issuer: https://id.example.com\nfoo: bar\n")).containsExactly("foo: unknown key");
    }

    @Test
    void anUnknownNestedKeyIsReportedWithItsFullPath() {
        assertThat(problemsOf("""
                issuer: https://id.example.com
                tokenExchange: { tokenTypes: ["urn:ietf:params:oauth:token-type:id-jag"] }
                trustedIssuers: [{ issuer: https://idp.example, jwksUri: https://idp.example/jwks }]
                clients:
                  - id: web
                    secret: s
                    redirectUris: [https://app.example.com/cb]
                    grantTypes: [authorization_code, "urn:ietf:params:oauth:grant-type:token-exchange"]
                    foo: 1
                    idJag:
                      - audience: https://as.example
                        bar: 2
                users:
                  - username: alice
                    password: a-long-password
                    links: [{ issuer: https://idp.example, subject: x, baz: 3 }]
                """)).containsExactly(
                "clients[0].idJag[0].bar: unknown key",
                "clients[0].foo: unknown key",
                "users[0].links[0].baz: unknown key");
    }

    @Test
    void anUnknownKeyThatLooksLikeAKnownOneGetsASuggestion() {
        assertThat(problemsOf("""
                issuer: https://id.example.com
                tokens: { access_token_ttl: 5m, refreshTokenTll: 1d }
                """)).containsExactly(
                "tokens.access_token_ttl: unknown key (did you mean accessTokenTtl?)",
                "tokens.refreshTokenTll: unknown key (did you mean refreshTokenTtl?)");
    }

    @Test
    void aListWhereAStringIsExpectedIsAProblemNotAnException() {
        assertThat(problemsOf("issuer: [https://id.example.com]\n"))
                .containsExactly("issuer: must be a string, not a list");
    }

    @Test
    void wrongShapesEverywhereAreProblems() {
        assertThat(problemsOf("""
                issuer: https://id.example.com
                http: { port: eighty }
                keys: { generate: maybe }
                tokens: { accessTokenTtl: 15 }
                storage: h2
                clients:
                  - id: web
                    secret: s
                    redirectUris: https://app.example.com/cb
                  - just-a-string
                users:
                  - username: alice
                    password: 1234
                """)).contains(
                "http.port: must be a whole number",
                "keys.generate: must be true or false",
                "tokens.accessTokenTtl: must be a duration with a unit, e.g. 60s, 15m or 30d, not a number (quote the value if it is text)",
                "storage: must be a mapping of keys to values",
                "clients[0].redirectUris: must be a list of strings",
                "clients[1]: must be a mapping of keys to values",
                "users[0].password: must be a string, not a number (quote the value if it is text)");
    }

    @Test
    void aNullClaimValueIsAProblem() {
        assertThat(problemsOf("""
                issuer: https://id.example.com
                users:
                  - username: alice
                    password: a-long-password
                    claims: { nickname: null }
                """)).containsExactly("users[0].claims.nickname: must not be null; leave the key out instead");
    }

    @Test
    void aRootThatIsNotAMappingIsAProblem() {
        assertThat(problemsOf("- issuer\n")).containsExactly("(root): must be a mapping of keys to values");
    }

    @Test
    void aDuplicateKeyIsAProblem() {
        assertThat(problemsOf("issuer: https://id.example.com\nissuer: https://evil.example\n"))
                .singleElement().asString().startsWith("(yaml): not valid YAML at line 2").contains("issuer");
    }

    @Test
    void aYamlSyntaxErrorGivesItsLocationButNotTheSourceLine() {
        List<String> problems = problemsOf("issuer: https://id.example.com\nsubjects:\n  pairwiseSalt: \"top-secret-salt\n");

        assertThat(problems).singleElement().asString().startsWith("(yaml): not valid YAML at line")
                .doesNotContain("top-secret-salt");
    }

    @Test
    void severalProblemsAreReportedAtOnceEachWithItsPath() {
        List<String> problems = problemsOf("""
                issuer: http://id.example.com
                tokens:
                  refreshTokenReuseGrace: 2m
                  accessTokenTtl: soon
                clients:
                  - id: web
                    secret: s
                    redirectUris: [https://app.example.com/cb]
                  - id: mobile
                    public: true
                    redirectUris: [https://app.example.com/cb, "https://app.example.com/cb#frag"]
                unknownSection: {}
                """);

        assertThat(problems).containsExactlyInAnyOrder(
                "tokens.accessTokenTtl: must be a duration: a whole number followed by ms, s, m, h or d (e.g. 500ms, 60s, 15m, 2h, 30d)",
                "unknownSection: unknown key",
                "issuer: must use https unless its host is loopback (127.0.0.0/8, ::1, localhost)",
                "tokens.refreshTokenReuseGrace: must be at most 60s",
                "clients[1].redirectUris[1]: must be an absolute URI without a fragment");
    }

    @Test
    void aRefusedValueDoesNotAlsoProduceAFollowUpProblem() {
        // The secret is unset, so it is read as absent; "a confidential client needs secret" would only echo that.
        assertThat(problemsOf("""
                issuer: https://id.example.com
                clients: [{ id: web, secret: "${NOPE}", redirectUris: [https://app.example.com/cb] }]
                """)).containsExactly("clients[0].secret: environment variable NOPE is not set");
    }

    @Test
    void problemMessagesNeverContainConfiguredValues() {
        List<String> problems = problemsOf("""
                issuer: https://id.example.com
                http: { port: "${PORT}" }
                clients:
                  - id: web
                    secret: hunter2-secret
                    public: true
                    redirectUris: [https://app.example.com/cb]
                users:
                  - username: alice
                    passwordHash: not-argon-hunter2
                """, Map.of("PORT", "hunter2-port"));

        assertThat(problems).isNotEmpty().noneMatch(p -> p.contains("hunter2"));
    }

    @Test
    void theExceptionMessageListsEveryProblemOnItsOwnLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("foo: 1\nbar: 2\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining(System.lineSeparator() + "  foo: unknown key")
                .hasMessageContaining(System.lineSeparator() + "  bar: unknown key")
                .hasMessageContaining(System.lineSeparator() + "  issuer: is required");
    }

    static List<String> problemsOf(String yaml) {
        return problemsOf(yaml, Map.of());
    }

    static List<String> problemsOf(String yaml, Map<String, String> env) {
        try {
            ConfigLoader.parse(yaml, env);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be refused");
    }
}
