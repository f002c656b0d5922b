package dev.tessera.server.cli;

import dev.tessera.server.application.clientauth.ClientSecrets;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.client.Client;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

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
        Run duplicate = run(null, "clients", "add", "spa", "--public", "--config", config);
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.err()).contains("already exists");
        Run relative = run(null, "clients", "add", "x", "--config", config, "--redirect-uri", "/callback");
        assertThat(relative.exitCode()).isNotZero();
        assertThat(relative.err()).contains("absolute URI");
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
        Run tooShort = run("short\n", "users", "add", "dave", "--password-stdin", "--config", config);
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).contains("at least 8");
        assertThat(run("long enough pw\n", "users", "add", "dave", "--password-stdin", "--config", config).exitCode()).isZero();
        assertThat(run("long enough pw\n", "users", "add", "dave", "--password-stdin", "--config", config).exitCode()).isNotZero();
        assertThat(run("long enough pw\n", "users", "set-password", "nobody", "--password-stdin", "--config", config)
                .exitCode()).isNotZero();
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
                {"clients", "list", "--help"}, {"users", "add", "--help"}, {"users", "disable", "--help"}}) {
            Run help = run(null, command);
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage:");
        }
    }
}
