package dev.tessera.server.cli;

import dev.tessera.server.application.clientauth.ClientSecrets;
import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.ConfigToDomain;
import dev.tessera.server.bootstrap.DevMode;
import dev.tessera.server.bootstrap.TesseraApp;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.crypto.Argon2idPasswordHasher;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** `clients` and `users` against a real H2 store named by a --config file. */
class ManagementCommandsTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) { }

    private Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TesseraCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        InputStream original = System.in;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            }
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(original);
        }
    }

    private String config() throws Exception {
        Path file = dir.resolve("tessera.yaml");
        Files.writeString(file, "issuer: http://127.0.0.1:8080\nstorage:\n  type: h2\n  path: " + dir.resolve("db") + "\n");
        return file.toString();
    }

    private Stores open(Database database) {
        return StoreWiring.jdbc(database);
    }

    @Test
    void clientsAddPrintsASecretOnceAndStoresOnlyItsHash() throws Exception {
        String config = config();
        Run added = run(null, "clients", "add", "web", "--config", config, "--name", "Web App",
                "--redirect-uri", "https://app.example.com/cb");
        assertThat(added.exitCode()).as(added.err()).isZero();
        Matcher secret = Pattern.compile("client_secret: (\\S+)").matcher(added.out());
        assertThat(secret.find()).isTrue();
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            Client client = open(database).clients().find("web").orElseThrow();
            assertThat(client.secretHash()).doesNotContain(secret.group(1));
            assertThat(ClientSecrets.verify(secret.group(1), client.secretHash())).isTrue();
            assertThat(client.name()).isEqualTo("Web App");
            assertThat(client.redirectUris().registered()).containsExactly("https://app.example.com/cb");
        }
        Run listed = run(null, "clients", "list", "--config", config);
        assertThat(listed.out()).contains("web").contains("confidential").doesNotContain(secret.group(1));
    }

    @Test
    void clientsAddRefusesADuplicateIdAndABadRedirectUri() throws Exception {
        String config = config();
        assertThat(run(null, "clients", "add", "spa", "--public", "--config", config,
                "--redirect-uri", "http://127.0.0.1/cb").exitCode()).isZero();
        Run duplicate = run(null, "clients", "add", "spa", "--public", "--config", config,
                "--redirect-uri", "http://127.0.0.1/cb");
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.err()).contains("already exists");
        Run relative = run(null, "clients", "add", "x", "--config", config, "--redirect-uri", "/callback");
        assertThat(relative.exitCode()).isNotZero();
        assertThat(relative.err()).contains("absolute URI");
    }

    @Test
    void clientsAddWithAJwksUriRegistersAPrivateKeyJwtClientWithoutASecret() throws Exception {
        Run added = run(null, "clients", "add", "agent", "--config", config(), "--grant", "client_credentials",
                "--jwks-uri", "https://agent.example.com/jwks.json");

        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("private_key_jwt").doesNotContain("client_secret");
        Client client = storedClient("agent").orElseThrow();
        assertThat(client.authMethod()).isEqualTo(TokenEndpointAuthMethod.PRIVATE_KEY_JWT);
        assertThat(client.jwksUri()).isEqualTo("https://agent.example.com/jwks.json");
        assertThat(client.secretHash()).isNull();

        Run plainHttp = run(null, "clients", "add", "agent2", "--config", config(), "--grant", "client_credentials",
                "--jwks-uri", "http://agent.example.com/jwks.json");
        assertThat(plainHttp.exitCode()).isNotZero();
        assertThat(plainHttp.err()).contains("--jwks-uri: must be an absolute https URL");
    }

    @Test
    void clientsAddRefusesASectorIdentifierUriItCannotRead() throws Exception {
        Path file = dir.resolve("pairwise.yaml");
        Files.writeString(file, "issuer: http://127.0.0.1:8080\nsubjects: { pairwiseSalt: salty }\nstorage:\n  type: h2\n  path: "
                + dir.resolve("db") + "\n");

        Run refused = run(null, "clients", "add", "shop", "--config", file.toString(),
                "--redirect-uri", "https://shop.example.com/cb", "--sector-identifier-uri", "https://127.0.0.1:1/sector.json");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("--sector-identifier-uri: could not be fetched: connection refused");
        assertThat(storedClient("shop")).isEmpty();
    }

    @Test
    void clientsAddRefusesAPairwiseClientWithoutASalt() throws Exception {
        Run refused = run(null, "clients", "add", "shop", "--config", config(),
                "--redirect-uri", "https://shop.example.com/cb", "--sector-identifier-uri", "https://127.0.0.1:1/sector.json");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("subjects.pairwiseSalt");
    }

    private Optional<Client> storedClient(String id) {
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            return open(database).clients().find(id);
        }
    }

    @Test
    void clientsAddRefusesAPlainHttpRedirectUriOnANonLoopbackHostLikeTheConfigFile() throws Exception {
        Run refused = run(null, "clients", "add", "web", "--config", config(),
                "--redirect-uri", "http://app.example.com/cb");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("--redirect-uri http://app.example.com/cb: must use https, http on a "
                + "loopback host, or a private-use scheme such as com.example.app (RFC 8252)");
        assertThat(storedClient("web")).isEmpty();
    }

    @Test
    void clientsAddRefusesGrantsAPublicClientCannotUseLikeTheConfigFile() throws Exception {
        String config = config();
        for (String grant : List.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange",
                "urn:ietf:params:oauth:grant-type:jwt-bearer")) {
            Run refused = run(null, "clients", "add", "spa", "--public", "--config", config,
                    "--redirect-uri", "http://127.0.0.1/cb", "--grant", "authorization_code", "--grant", grant);

            assertThat(refused.exitCode()).as(grant).isNotZero();
            assertThat(refused.err()).as(grant).contains("--grant: a public client may not use " + grant);
        }
        assertThat(storedClient("spa")).isEmpty();
    }

    @Test
    void clientsAddPrintsEveryProblemWithTheConfigFilesMessages() throws Exception {
        Run refused = run(null, "clients", "add", "web", "--config", config(), "--grant", "password",
                "--scope", "bad\\scope", "--auth-method", "none");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains(
                "--grant password: must be authorization_code, refresh_token, client_credentials, "
                        + "urn:ietf:params:oauth:grant-type:token-exchange or urn:ietf:params:oauth:grant-type:jwt-bearer",
                "--scope bad\\scope: must be a scope token",
                "--auth-method: none is only for public clients (set public: true)");
    }

    @Test
    void clientsAddStoresWhatTheConfigFileWouldStoreForTheSameSettings() throws Exception {
        Run added = run(null, "clients", "add", "web", "--config", config(),
                "--redirect-uri", "https://app.example.com/cb");
        assertThat(added.exitCode()).as(added.err()).isZero();

        Client fromFile = ConfigToDomain.toClient(ClientConfig.builder("web").secret("x")
                .redirectUris(List.of("https://app.example.com/cb")).build(), ClientSecrets::hash);
        Client fromCli = storedClient("web").orElseThrow();
        assertThat(fromCli.scopes()).isEqualTo(fromFile.scopes());
        assertThat(fromCli).usingRecursiveComparison().ignoringFields("secretHash").isEqualTo(fromFile);
    }

    @Test
    void clientsRemoveDeletesAndReportsUnknownIds() throws Exception {
        String config = config();
        run(null, "clients", "add", "gone", "--config", config, "--grant", "client_credentials");
        assertThat(run(null, "clients", "remove", "gone", "--config", config).exitCode()).isZero();
        assertThat(run(null, "clients", "remove", "gone", "--config", config).exitCode()).isNotZero();
    }

    @Test
    void usersAddSetPasswordAndDisableWorkWithArgon2Hashes() throws Exception {
        String config = config();
        Run added = run("first password 123\n", "users", "add", "carol", "--password-stdin", "--config", config,
                "--email", "carol@example.com", "--name", "Carol");
        assertThat(added.exitCode()).as(added.err()).isZero();
        Argon2idPasswordHasher hasher = new Argon2idPasswordHasher();
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            User carol = open(database).users().findByUsername("carol").orElseThrow();
            assertThat(carol.passwordHash()).startsWith("$argon2id$");
            assertThat(hasher.verify("first password 123".toCharArray(), carol.passwordHash())).isTrue();
            assertThat(carol.claims()).containsEntry("email", "carol@example.com");
        }
        assertThat(run("second password 456\n", "users", "set-password", "carol", "--password-stdin", "--config", config)
                .exitCode()).isZero();
        assertThat(run(null, "users", "disable", "carol", "--config", config).exitCode()).isZero();
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            User carol = open(database).users().findByUsername("carol").orElseThrow();
            assertThat(hasher.verify("second password 456".toCharArray(), carol.passwordHash())).isTrue();
            assertThat(carol.enabled()).isFalse();
        }
        Run listed = run(null, "users", "list", "--config", config);
        assertThat(listed.out()).contains("carol").contains("disabled").doesNotContain("$argon2id$");
    }

    @Test
    void usersAddRefusesShortPasswordsAndDuplicates() throws Exception {
        String config = config();
        Run tooShort = run("eleven-char\n", "users", "add", "dave", "--password-stdin", "--config", config);
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).contains("at least 12 characters");
        assertThat(run("long enough pw\n", "users", "add", "dave", "--password-stdin", "--config", config).exitCode()).isZero();
        assertThat(run("long enough pw\n", "users", "add", "dave", "--password-stdin", "--config", config).exitCode()).isNotZero();
        assertThat(run("long enough pw\n", "users", "set-password", "nobody", "--password-stdin", "--config", config)
                .exitCode()).isNotZero();
    }

    @Test
    void usersAddAndSetPasswordFollowPasswordsMinLengthOfTheConfig() throws Exception {
        Path file = dir.resolve("strict.yaml");
        Files.writeString(file, "issuer: http://127.0.0.1:8080\npasswords: { minLength: 16 }\nstorage:\n  type: h2\n"
                + "  path: " + dir.resolve("db") + "\n");
        String config = file.toString();

        Run tooShort = run("fifteen-chars-x\n", "users", "add", "erin", "--password-stdin", "--config", config);
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).contains("at least 16 characters").doesNotContain("fifteen-chars-x");
        assertThat(run("sixteen-chars-xx\n", "users", "add", "erin", "--password-stdin", "--config", config).exitCode())
                .isZero();
        Run shortReset = run("fifteen-chars-x\n", "users", "set-password", "erin", "--password-stdin", "--config", config);
        assertThat(shortReset.exitCode()).isNotZero();
        assertThat(shortReset.err()).contains("at least 16 characters");
    }

    @Test
    void setPasswordEndsTheUsersSessionsAndRevokesTheirTokens() throws Exception {
        String config = config();
        assertThat(run("first password 123\n", "users", "add", "carol", "--password-stdin", "--config", config)
                .exitCode()).isZero();
        SignedInState state = signedIn("carol");

        Run changed = run("second password 456\n", "users", "set-password", "carol", "--password-stdin", "--config",
                config);

        assertThat(changed.exitCode()).as(changed.err()).isZero();
        assertThat(changed.out()).contains("ended 2 sessions", "revoked 1 refresh token family");
        state.assertEndedForCarolOnly();
    }

    @Test
    void disableEndsTheUsersSessionsAndRevokesTheirTokens() throws Exception {
        String config = config();
        assertThat(run("first password 123\n", "users", "add", "carol", "--password-stdin", "--config", config)
                .exitCode()).isZero();
        SignedInState state = signedIn("carol");

        Run disabled = run(null, "users", "disable", "carol", "--config", config);

        assertThat(disabled.exitCode()).as(disabled.err()).isZero();
        assertThat(disabled.out()).contains("ended 2 sessions", "revoked 1 refresh token family");
        state.assertEndedForCarolOnly();
    }

    /** Two sessions, a refresh token and an access token of its grant for the user; one of each for someone else. */
    private SignedInState signedIn(String username) {
        Instant now = Instant.now();
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            Stores stores = open(database);
            String userId = stores.users().findByUsername(username).orElseThrow().id();
            SignedInState state = new SignedInState(GrantId.random(), GrantId.random());
            for (String owner : List.of(userId, userId, "someone-else")) {
                TokenHash hash = OpaqueToken.generate(OpaqueToken.SESSION_PREFIX).hash();
                stores.sessions().save(new LoginSession(hash, "sid-" + hash.value(), owner,
                        AuthenticationLevels.defaults().password(now), now, now.plus(Duration.ofHours(1))));
                state.sessions.put(hash, owner.equals(userId));
            }
            for (Map.Entry<GrantId, String> grant : Map.of(state.users, userId, state.others, "someone-else").entrySet()) {
                RefreshToken token = new RefreshToken(OpaqueToken.generate(OpaqueToken.REFRESH_PREFIX).hash(),
                        grant.getKey(), "web", grant.getValue(), Scopes.of("openid"), AuthenticationLevels.defaults().password(now),
                        null, List.of(), now, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)));
                stores.refreshTokens().save(token);
                stores.accessTokens().record(new IssuedAccessToken("jti-" + grant.getKey().value(), grant.getKey(),
                        "web", grant.getValue(), null, null, now, now.plus(Duration.ofMinutes(15))));
                state.refreshTokens.put(token.hash(), grant.getKey().equals(state.users));
            }
            return state;
        }
    }

    private final class SignedInState {
        final GrantId users;
        final GrantId others;
        final Map<TokenHash, Boolean> sessions = new LinkedHashMap<>();
        final Map<TokenHash, Boolean> refreshTokens = new LinkedHashMap<>();

        SignedInState(GrantId users, GrantId others) {
            this.users = users;
            this.others = others;
        }

        void assertEndedForCarolOnly() {
            Instant now = Instant.now();
            try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
                Stores stores = open(database);
                sessions.forEach((hash, carols) -> assertThat(stores.sessions().find(hash, now).isPresent())
                        .as("session of %s", carols ? "carol" : "someone else").isEqualTo(!carols));
                refreshTokens.forEach((hash, carols) -> assertThat(stores.refreshTokens().find(hash).orElseThrow()
                        .isActive(now)).as("refresh token of %s", carols ? "carol" : "someone else").isEqualTo(!carols));
                assertThat(stores.accessTokens().isRevoked("jti-" + users.value())).isTrue();
                assertThat(stores.accessTokens().isRevoked("jti-" + others.value())).isFalse();
            }
        }
    }

    // --- users link, unlink, show ---

    private static final String IDP = "https://idp.example";
    private static final String FAKE_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

    /** A config on the same store that trusts {@link #IDP}, with more YAML (users) appended. */
    private String trustingConfig(String moreYaml) throws Exception {
        Path file = dir.resolve("trusting.yaml");
        Files.writeString(file, "issuer: http://127.0.0.1:8080\nstorage:\n  type: h2\n  path: " + dir.resolve("db")
                + "\ntrustedIssuers:\n  - issuer: " + IDP + "\n    jwksUri: " + IDP + "/jwks\n" + moreYaml);
        return file.toString();
    }

    private void storeUser(String username, AccountLink... links) {
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            open(database).users().upsert(new User(UserConfig.defaultId(username), username, FAKE_HASH,
                    List.of("admin"), Map.of("email", username + "@example.com", "name", "Name of " + username),
                    Map.of(), List.of(links), true));
        }
    }

    private User storedUser(String username) {
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            return open(database).users().findByUsername(username).orElseThrow();
        }
    }

    private Optional<User> linkedUser(String issuer, String subject) {
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            return open(database).users().findByLink(issuer, subject);
        }
    }

    @Test
    void usersLinkStoresTheLinkThroughWhichTheJwtBearerGrantFindsTheUser() throws Exception {
        String config = trustingConfig("");
        storeUser("alice");

        Run linked = run(null, "users", "link", "alice", "--issuer", IDP, "--subject", "00u1", "--config", config);

        assertThat(linked.exitCode()).as(linked.err()).isZero();
        assertThat(linked.out()).contains("linked alice to " + IDP + " 00u1");
        assertThat(linked.err()).isEmpty();
        assertThat(linkedUser(IDP, "00u1")).map(User::username).contains("alice");
    }

    @Test
    void usersLinkKeepsTheUsersOtherLinks() throws Exception {
        String config = trustingConfig("");
        storeUser("alice", new AccountLink(IDP, "old"));

        assertThat(run(null, "users", "link", "alice", "--issuer", IDP, "--subject", "new", "--config", config)
                .exitCode()).isZero();

        assertThat(storedUser("alice").links()).containsExactly(new AccountLink(IDP, "old"), new AccountLink(IDP, "new"));
    }

    @Test
    void usersLinkOfAnAccountAlreadyLinkedToTheSameUserIsANoOp() throws Exception {
        String config = trustingConfig("");
        storeUser("alice", new AccountLink(IDP, "00u1"));

        Run again = run(null, "users", "link", "alice", "--issuer", IDP, "--subject", "00u1", "--config", config);

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already linked");
        assertThat(storedUser("alice").links()).containsExactly(new AccountLink(IDP, "00u1"));
    }

    @Test
    void usersLinkRefusesAnUnknownUser() throws Exception {
        String config = trustingConfig("");

        Run unknown = run(null, "users", "link", "nobody", "--issuer", IDP, "--subject", "00u1", "--config", config);

        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("no user nobody");
    }

    @Test
    void usersLinkRefusesAnAccountLinkedToAnotherUser() throws Exception {
        String config = trustingConfig("");
        storeUser("alice", new AccountLink(IDP, "00u1"));
        storeUser("bob");

        Run taken = run(null, "users", "link", "bob", "--issuer", IDP, "--subject", "00u1", "--config", config);

        assertThat(taken.exitCode()).isNotZero();
        assertThat(taken.err()).contains("already linked to user alice");
        assertThat(linkedUser(IDP, "00u1")).map(User::username).contains("alice");
        assertThat(storedUser("bob").links()).isEmpty();
    }

    @Test
    void usersLinkRefusesAnAccountTheConfigFileLinksToAnotherUser() throws Exception {
        // Linking it here would make the next start fail when the file gives it back to bob.
        String config = trustingConfig("users:\n  - username: bob\n    password: a-password-for-bob\n"
                + "    links: [{ issuer: " + IDP + ", subject: 00u1 }]\n");
        storeUser("alice");

        Run taken = run(null, "users", "link", "alice", "--issuer", IDP, "--subject", "00u1", "--config", config);

        assertThat(taken.exitCode()).isNotZero();
        assertThat(taken.err()).contains("links that account to user bob");
        assertThat(storedUser("alice").links()).isEmpty();
    }

    @Test
    void usersLinkRefusesAnIssuerThatIsNotAnAbsoluteHttpUrl() throws Exception {
        String config = trustingConfig("");
        storeUser("alice");

        for (String issuer : new String[] {"idp.example", "urn:example:idp", "ftp://idp.example"}) {
            Run refused = run(null, "users", "link", "alice", "--issuer", issuer, "--subject", "00u1", "--config", config);
            assertThat(refused.exitCode()).as(issuer).isNotZero();
            assertThat(refused.err()).contains("--issuer must be an absolute http(s) URL");
        }
        assertThat(storedUser("alice").links()).isEmpty();
    }

    @Test
    void usersLinkRefusesAnIssuerTheConfigDoesNotTrust() throws Exception {
        String config = trustingConfig("");
        storeUser("alice");

        Run refused = run(null, "users", "link", "alice", "--issuer", "https://other.example", "--subject", "00u1",
                "--config", config);

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("--issuer is not a trusted issuer; add it to trustedIssuers");
        assertThat(storedUser("alice").links()).isEmpty();
    }

    @Test
    void usersLinkWithTheDevStoreSaysItTrustsNoIssuers() {
        // Refused before the dev store in ./data is opened.
        Run refused = run(null, "users", "link", "alice", "--issuer", IDP, "--subject", "00u1");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("the dev store trusts no issuers; use --config with a trustedIssuers entry");
    }

    @Test
    void usersLinkOfAUserDeclaredInTheFileWarnsThatTheFileOwnsTheirLinks() throws Exception {
        String config = trustingConfig("users:\n  - username: alice\n    password: a-password-for-alice\n");
        storeUser("alice");

        Run linked = run(null, "users", "link", "alice", "--issuer", IDP, "--subject", "00u1", "--config", config);

        assertThat(linked.exitCode()).as(linked.err()).isZero();
        assertThat(linked.err()).contains("alice is declared in").contains("users[].links");
    }

    @Test
    void usersUnlinkWithASubjectRemovesOnlyThatLink() throws Exception {
        String config = trustingConfig("");
        storeUser("alice", new AccountLink(IDP, "a"), new AccountLink(IDP, "b"));

        Run unlinked = run(null, "users", "unlink", "alice", "--issuer", IDP, "--subject", "a", "--config", config);

        assertThat(unlinked.exitCode()).as(unlinked.err()).isZero();
        assertThat(unlinked.out()).contains("unlinked alice from " + IDP + " (1 link)");
        assertThat(storedUser("alice").links()).containsExactly(new AccountLink(IDP, "b"));
        assertThat(linkedUser(IDP, "a")).isEmpty();
    }

    @Test
    void usersUnlinkWithoutASubjectRemovesEveryLinkToTheIssuer() throws Exception {
        String config = trustingConfig("");
        storeUser("alice", new AccountLink(IDP, "a"), new AccountLink("https://other.example", "x"),
                new AccountLink(IDP, "b"));

        Run unlinked = run(null, "users", "unlink", "alice", "--issuer", IDP, "--config", config);

        assertThat(unlinked.exitCode()).as(unlinked.err()).isZero();
        assertThat(unlinked.out()).contains("(2 links)");
        assertThat(storedUser("alice").links()).containsExactly(new AccountLink("https://other.example", "x"));
    }

    @Test
    void usersUnlinkRefusesAnUnknownLinkOrUser() throws Exception {
        String config = trustingConfig("");
        storeUser("alice", new AccountLink(IDP, "a"));

        Run otherSubject = run(null, "users", "unlink", "alice", "--issuer", IDP, "--subject", "z", "--config", config);
        assertThat(otherSubject.exitCode()).isNotZero();
        assertThat(otherSubject.err()).contains("user alice has no link to " + IDP + " with subject z");
        Run otherIssuer = run(null, "users", "unlink", "alice", "--issuer", "https://other.example", "--config", config);
        assertThat(otherIssuer.exitCode()).isNotZero();
        assertThat(otherIssuer.err()).contains("has no link to https://other.example");
        Run nobody = run(null, "users", "unlink", "nobody", "--issuer", IDP, "--config", config);
        assertThat(nobody.exitCode()).isNotZero();
        assertThat(nobody.err()).contains("no user nobody");
        assertThat(storedUser("alice").links()).containsExactly(new AccountLink(IDP, "a"));
    }

    @Test
    void usersShowPrintsTheUserAndEveryLinkButNeverThePasswordHash() throws Exception {
        String config = trustingConfig("");
        storeUser("alice", new AccountLink(IDP, "00u1"), new AccountLink("https://other.example", "x y"));

        Run shown = run(null, "users", "show", "alice", "--config", config);

        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("id:       " + UserConfig.defaultId("alice"), "username: alice",
                "enabled:  true", "roles:    admin", "  email: alice@example.com", "  name: Name of alice",
                "  " + IDP + " 00u1", "  https://other.example x y")
                .doesNotContain(FAKE_HASH).doesNotContain("argon2");
    }

    @Test
    void usersShowSaysWhenAUserHasNoLinks() throws Exception {
        String config = trustingConfig("");
        storeUser("bob");

        assertThat(run(null, "users", "show", "bob", "--config", config).out()).contains("links:    (none)");
    }

    @Test
    void usersShowRefusesAnUnknownUser() throws Exception {
        Run unknown = run(null, "users", "show", "nobody", "--config", trustingConfig(""));

        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("no user nobody");
    }

    @Test
    void usersHelpListsLinkUnlinkAndShow() {
        Run help = run(null, "users", "--help");

        assertThat(help.out()).contains("link", "unlink", "show", "trusted issuers");
        assertThat(run(null, "users", "link", "--help").out()).contains("--issuer", "--subject", "users[].links");
    }

    @Test
    void serveWithABrokenConfigListsEveryProblemAndExitsNonZero() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "issuer: http://id.example.com\ntokens:\n  refreshTokenReuseGrace: 5m\nbogus: 1\n");
        Run serve = run(null, "serve", "--config", file.toString());
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).contains("issuer").contains("tokens.refreshTokenReuseGrace").contains("bogus");
    }

    @Test
    void serveRefusesToStartWithoutProvisionedKeys() throws Exception {
        Path file = dir.resolve("nokeys.yaml");
        Files.writeString(file, "issuer: http://127.0.0.1:0\nhttp: { host: 127.0.0.1, port: 0 }\nstorage:\n  path: "
                + dir.resolve("db") + "\nkeys:\n  dir: " + dir.resolve("empty-keys") + "\n");
        Run serve = run(null, "serve", "--config", file.toString());
        assertThat(serve.exitCode()).isEqualTo(1);
        assertThat(serve.err()).contains("cannot start");
    }

    @Test
    void serveConfigRefusesAStoreThatServeDevUsedAndSaysWhy() throws Exception {
        Path store = dir.resolve("data/tessera");
        Path keys = dir.resolve("keys");
        DevMode dev = DevMode.prepare(0);
        // What serve --dev did before it had a store of its own: the demo client in the production default store.
        TesseraApp.start(dev.config().withStorage(StorageConfig.h2(store)).withKeys(KeysConfig.defaults().withDir(keys)
                .withGenerate(true)), Clock.systemUTC(), dev).close();
        Path file = dir.resolve("prod.yaml");
        Files.writeString(file, "issuer: http://127.0.0.1:0\nhttp: { host: 127.0.0.1, port: 0 }\nstorage:\n  path: "
                + store + "\nkeys:\n  dir: " + keys + "\n");

        // Were the store accepted, serve would run until interrupted: the timeout turns that into a failure.
        Run serve = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(null, "serve", "--config", file.toString()));

        assertThat(serve.exitCode()).isEqualTo(1);
        assertThat(serve.err()).contains("holds the demo client demo-app of serve --dev")
                .contains("tessera clients remove demo-app --config");
    }

    @Test
    void managementCommandsWithoutConfigUseTheDevStoreOfServeDev() {
        assertThat(new StoreOptions().storage()).isEqualTo(DevMode.prepare(8080).config().storage());
    }

    @Test
    void aStoreLockedByAnotherProcessIsExplainedInsteadOfRelayingH2() {
        // Within one JVM H2 shares the file, so the lock of another process is simulated by its message.
        String described = TesseraCommand.describe(new IllegalStateException(
                "Failed to initialize pool: Database may be already in use: \"/x/data/tessera.mv.db\". Possible solutions: close all other connection(s); use the server mode [90020-252]"));
        assertThat(described).contains("in use by a running `tessera serve`").doesNotContain("90020");
        assertThat(TesseraCommand.describe(new IllegalStateException("other"))).isEqualTo("other");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{"--help"}, {"serve", "--help"}, {"clients", "add", "--help"},
                {"clients", "list", "--help"}, {"users", "add", "--help"}, {"users", "disable", "--help"},
                {"users", "link", "--help"}, {"users", "unlink", "--help"}, {"users", "show", "--help"}}) {
            Run help = run(null, command);
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage:");
        }
    }
}
