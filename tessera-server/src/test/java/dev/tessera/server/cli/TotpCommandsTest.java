package dev.tessera.server.cli;

import dev.tessera.server.application.mfa.Base32;
import dev.tessera.server.application.mfa.Totp;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tessera users totp enroll|remove} against a real H2 store and key directory named by --config. */
class TotpCommandsTest {
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
            return new Run(cli.execute(args), out.toString(), err.toString());
        } finally {
            System.setIn(original);
        }
    }

    private String configWithAlice() throws Exception {
        Path file = dir.resolve("tessera.yaml");
        Files.writeString(file, "issuer: https://id.example.test\nstorage:\n  type: h2\n  path: " + dir.resolve("db")
                + "\nkeys:\n  dir: " + dir.resolve("keys") + "\n");
        Run added = run("alice's long password\n", "users", "add", "alice", "--config", file.toString(), "--password-stdin");
        assertThat(added.exitCode()).as(added.err()).isZero();
        return file.toString();
    }

    @Test
    void enrollPrintsAKeyUriAndAQrCodeAndStoresTheSecretSealed() throws Exception {
        String config = configWithAlice();

        Run enrolled = run(null, "users", "totp", "enroll", "alice", "--config", config, "--no-color");

        assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();
        Matcher uri = Pattern.compile("otpauth://totp/\\S+").matcher(enrolled.out());
        assertThat(uri.find()).isTrue();
        Map<String, String> query = query(URI.create(uri.group()));
        assertThat(URI.create(uri.group()).getRawPath()).isEqualTo("/id.example.test:alice");
        assertThat(query).containsEntry("issuer", "id.example.test").containsEntry("algorithm", "SHA1")
                .containsEntry("digits", "6").containsEntry("period", "30");
        byte[] secret = Base32.decode(query.get("secret"));
        assertThat(secret).hasSize(20);
        // The QR code: rows of half blocks, as wide as they are tall (two modules per text row).
        String[] qrRows = enrolled.out().lines().filter(line -> line.matches("[ \u2580\u2584\u2588]{20,}"))
                .toArray(String[]::new);
        assertThat(qrRows.length).isGreaterThan(10);
        assertThat(qrRows[0].length()).isBetween(2 * qrRows.length - 2, 2 * qrRows.length + 2);
        assertThat(decode(qrRows)).as("the drawn QR code reads back as the URI").isEqualTo(uri.group());
        assertThat(enrolled.out()).contains(TotpCommands.grouped(query.get("secret")));

        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            Stores stores = StoreWiring.jdbc(database);
            String sealed = stores.totpSecrets().find(UserConfig.defaultId("alice")).orElseThrow();
            assertThat(sealed).startsWith("v1.").doesNotContain(query.get("secret"));
        }
        Path keyFile = dir.resolve("keys").resolve("totp-secrets.aes256");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Totp.code(secret, 1)).hasSize(6);
    }

    @Test
    void withKeysInTheStoreTheSecretIsSealedUnderAKeyDerivedFromTheKeyEncryptionKeyAndNoFileIsMade() throws Exception {
        byte[] master = new byte[32];
        master[0] = 42;
        Path file = dir.resolve("tessera.yaml");
        Files.writeString(file, "issuer: https://id.example.test\nstorage:\n  type: h2\n  path: " + dir.resolve("db")
                + "\nkeys:\n  dir: " + dir.resolve("keys") + "\n  source: store\n  encryptionKey: "
                + java.util.Base64.getEncoder().encodeToString(master) + "\n");
        assertThat(run("alice's long password\n", "users", "add", "alice", "--config", file.toString(),
                "--password-stdin").exitCode()).isZero();

        Run enrolled = run(null, "users", "totp", "enroll", "alice", "--config", file.toString(), "--no-color");

        assertThat(enrolled.exitCode()).as(enrolled.err()).isZero();
        assertThat(dir.resolve("keys")).doesNotExist();
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            String sealed = StoreWiring.jdbc(database).totpSecrets().find(UserConfig.defaultId("alice")).orElseThrow();
            byte[] opened = dev.tessera.server.infrastructure.crypto.AesGcmSecretCipher
                    .derivedFrom(master, "tessera totp secrets v1").open(sealed, UserConfig.defaultId("alice"));
            assertThat(Base32.encode(opened)).isEqualTo(secretIn(enrolled.out()));
        }
    }

    @Test
    void colouredOutputForcesBlackOnWhite() throws Exception {
        String config = configWithAlice();

        Run enrolled = run(null, "users", "totp", "enroll", "alice", "--config", config);

        assertThat(enrolled.out()).contains("\u001b[30;47m", "\u001b[0m");
    }

    @Test
    void enrollRefusesToReplaceASecretUnlessAsked() throws Exception {
        String config = configWithAlice();
        Run first = run(null, "users", "totp", "enroll", "alice", "--config", config, "--no-color");

        Run again = run(null, "users", "totp", "enroll", "alice", "--config", config, "--no-color");
        Run replaced = run(null, "users", "totp", "enroll", "alice", "--config", config, "--no-color", "--replace");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already has a TOTP secret", "--replace");
        assertThat(replaced.exitCode()).isZero();
        assertThat(secretIn(replaced.out())).isNotEqualTo(secretIn(first.out()));
    }

    @Test
    void removeTakesTheSecretAwayAndSaysSoWhenThereIsNone() throws Exception {
        String config = configWithAlice();
        run(null, "users", "totp", "enroll", "alice", "--config", config, "--no-color");

        Run removed = run(null, "users", "totp", "remove", "alice", "--config", config);
        Run none = run(null, "users", "totp", "remove", "alice", "--config", config);

        assertThat(removed.exitCode()).isZero();
        assertThat(removed.out()).contains("removed the TOTP secret of alice");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("has no TOTP secret");
        try (Database database = StoreWiring.openDatabase("h2", dir.resolve("db"), null, null, null)) {
            assertThat(StoreWiring.jdbc(database).totpSecrets().find(UserConfig.defaultId("alice"))).isEmpty();
        }
    }

    @Test
    void anUnknownUserIsAClearError() throws Exception {
        String config = configWithAlice();

        Run enrolled = run(null, "users", "totp", "enroll", "nobody", "--config", config);

        assertThat(enrolled.exitCode()).isEqualTo(1);
        assertThat(enrolled.err()).contains("no user nobody");
        assertThat(enrolled.out()).doesNotContain("otpauth");
    }

    /** Reads the half-block drawing back into modules (2-module quiet zone) and decodes it with ZXing. */
    private static String decode(String[] rows) throws Exception {
        int width = rows[0].length();
        boolean[][] modules = new boolean[rows.length * 2][width];
        for (int r = 0; r < rows.length; r++) {
            for (int x = 0; x < width; x++) {
                char c = rows[r].charAt(x);
                modules[2 * r][x] = c == '\u2580' || c == '\u2588';
                modules[2 * r + 1][x] = c == '\u2584' || c == '\u2588';
            }
        }
        int quiet = 2;
        int size = width - 2 * quiet;
        com.google.zxing.common.BitMatrix matrix = new com.google.zxing.common.BitMatrix(size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (modules[y + quiet][x + quiet]) {
                    matrix.set(x, y);
                }
            }
        }
        return new com.google.zxing.qrcode.decoder.Decoder().decode(matrix).getText();
    }

    private static String secretIn(String out) {
        Matcher uri = Pattern.compile("otpauth://totp/\\S+").matcher(out);
        assertThat(uri.find()).isTrue();
        return query(URI.create(uri.group())).get("secret");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
