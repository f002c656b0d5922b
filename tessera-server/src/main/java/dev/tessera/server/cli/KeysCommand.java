package dev.tessera.server.cli;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.config.ConfigException;
import dev.tessera.server.config.ConfigLoader;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.bootstrap.KeyWiring;
import dev.tessera.server.infrastructure.keys.KeyDirectory;
import dev.tessera.server.infrastructure.keys.KeyFileException;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import dev.tessera.server.infrastructure.keys.KeyMetadata;
import dev.tessera.server.infrastructure.keys.StoredKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tessera keys generate|list|rotate|retire|rewrap}: the key directory without hand-editing files, or with
 * {@code --config} naming a file with {@code keys.source: store}, the keys in its database ({@link StoredKeys}).
 * Errors print one line to stderr and exit 1; bad arguments exit 2 (picocli's usage error).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Manage the signing keys in the key directory (keys.dir), or with --config and keys.source: store,"
                + " in the database.",
                "Every *.pem file there is published in the JWKS; the active key for an algorithm is the newest one"
                        + " whose activation time has passed. A <name>.json sidecar holds {\"alg\", \"activatesAt\"};"
                        + " without it RSA keys sign RS256, EC keys ES256, from the file's modification time."},
        subcommands = {KeysCommand.Generate.class, KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Retire.class,
                KeysCommand.Rewrap.class})
public final class KeysCommand implements Callable<Integer> {
    static final String DEFAULT_DIR = "./keys";
    private static final Pattern DELAY = Pattern.compile("\\+?(\\d+)([smhd])");

    private final Clock clock;
    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    public KeysCommand() {
        this(Clock.systemUTC(), System.getenv());
    }

    public KeysCommand(Clock clock) {
        this(clock, System.getenv());
    }

    /** @param environment for ${VAR} in the --config file and the rewrap's new key */
    public KeysCommand(Clock clock, Map<String, String> environment) {
        this.clock = clock;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: generate, list, rotate or retire");
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write one new key (PKCS#8 PEM, mode 0600) and its sidecar into the key directory.")
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Option(names = "--alg", defaultValue = "RS256", converter = AlgorithmConverter.class,
                description = "RS256, ES256 or PS256 (default: ${DEFAULT-VALUE}).")
        JWSAlgorithm alg;

        @Option(names = "--bits", description = "RSA key size, at least 2048 (default: 4096, e = 65537). RSA only.")
        Integer bits;

        @Option(names = "--dir", description = "Key directory (default: keys.dir of --config, else " + DEFAULT_DIR + ").")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE",
                description = "tessera.yaml: with keys.source: store, work on the keys in its database.")
        Path config;

        @Option(names = "--activate-at", paramLabel = "T", defaultValue = "now",
                description = {"When the key starts signing: an ISO-8601 instant (2025-06-01T00:00:00Z),",
                        "a delay from now (+30m, +24h, +7d) or 'now' (default). Until then it is only published."})
        String activateAt;

        @Override
        public Integer call() {
            return keys.run(spec, out -> {
                int size = rsaBits(spec, alg, bits);
                Instant now = keys.clock.instant();
                Instant activation = parseActivation(spec, activateAt, now);
                Optional<TesseraConfig> settings = keys.load(config);
                if (KeysCommand.inStore(settings)) {
                    try (StoredKeys stored = new StoredKeys(settings.get(), keys.clock)) {
                        SigningKey key = stored.generate(alg, size, activation);
                        out.println("Stored a new key in the database (" + describe(key, size) + ")");
                        out.println(activation.isAfter(now) ? "Published within a minute; signs from " + key.activatesAt() + "."
                                : "Active now: servers sign new " + alg + " tokens with it within a minute.");
                    }
                    return;
                }
                dir = keys.directory(dir, settings);
                KeyFileWriter.WrittenKey written = new KeyFileWriter(keys.clock).generate(dir, alg, size, activation);
                out.println("Wrote " + written.file() + " (" + describe(written.key(), size) + ")");
                out.println(activation.isAfter(now)
                        ? "Published at once; signs from " + written.key().activatesAt() + "."
                        : "Active now: new " + alg + " tokens are signed with it within a few seconds.");
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Show every key: kid, algorithm, state and activation time.",
                    "States: active (signs now), pending (published, signs later), superseded (published, only"
                            + " verifies tokens it signed), retired (in retired/, not published)."})
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", description = "Key directory (default: keys.dir of --config, else " + DEFAULT_DIR + ").")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE",
                description = "tessera.yaml: with keys.source: store, work on the keys in its database.")
        Path config;

        @Override
        public Integer call() {
            return keys.run(spec, out -> {
                Optional<TesseraConfig> settings = keys.load(config);
                if (KeysCommand.inStore(settings)) {
                    try (StoredKeys stored = new StoredKeys(settings.get(), keys.clock)) {
                        stored.list(out);
                    }
                    return;
                }
                dir = keys.directory(dir, settings);
                KeyDirectory directory = new KeyDirectory(dir);
                List<StoredKey> published = directory.loadPublished();
                KeyRing ring = new KeyRing(published.stream().map(StoredKey::key).toList());
                Instant now = keys.clock.instant();
                String row = "%-43s  %-5s  %-10s  %-21s  %s%n";
                out.printf(row, "KID", "ALG", "STATE", "ACTIVATES", "FILE");
                boolean fromFileTime = false;
                for (StoredKey stored : published) {
                    SigningKey key = stored.key();
                    fromFileTime |= !stored.activationFromSidecar();
                    out.printf(row, key.kid(), key.algorithm(), state(ring, key, now),
                            key.activatesAt() + (stored.activationFromSidecar() ? "" : "*"), stored.file().getFileName());
                }
                try {
                    for (StoredKey stored : directory.loadRetired()) {
                        out.printf(row, stored.key().kid(), stored.key().algorithm(), "retired", stored.key().activatesAt(),
                                KeyDirectory.RETIRED + "/" + stored.file().getFileName());
                    }
                } catch (KeyFileException e) {
                    out.println("(some files in " + directory.retiredPath() + " are not readable keys: " + e.getMessage() + ")");
                }
                if (published.isEmpty()) {
                    out.println("No published key in " + dir + "; create one with `tessera keys generate --dir " + dir + "`.");
                }
                if (fromFileTime) {
                    out.println("* activation time taken from the file's modification time (no sidecar).");
                }
            });
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Pre-publish a new key that starts signing later, so verifiers learn it from the JWKS first.",
                    "The current key keeps being published; retire it once the new key is active and the tokens it"
                            + " signed have expired."})
    static final class Rotate implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Option(names = "--alg", defaultValue = "RS256", converter = AlgorithmConverter.class,
                description = "RS256, ES256 or PS256 (default: ${DEFAULT-VALUE}).")
        JWSAlgorithm alg;

        @Option(names = "--bits", description = "RSA key size, at least 2048 (default: 4096). RSA only.")
        Integer bits;

        @Option(names = "--dir", description = "Key directory (default: keys.dir of --config, else " + DEFAULT_DIR + ").")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE",
                description = "tessera.yaml: with keys.source: store, work on the keys in its database.")
        Path config;

        @Option(names = "--activate-in", defaultValue = "24h",
                description = "Delay before the new key signs: 30m, 24h, 7d, PT12H (default: ${DEFAULT-VALUE}).")
        String activateIn;

        @Override
        public Integer call() {
            return keys.run(spec, out -> {
                int size = rsaBits(spec, alg, bits);
                Duration delay = parseDelay(spec, "--activate-in", activateIn);
                Instant now = keys.clock.instant();
                Optional<TesseraConfig> settings = keys.load(config);
                if (KeysCommand.inStore(settings)) {
                    try (StoredKeys stored = new StoredKeys(settings.get(), keys.clock)) {
                        Optional<SigningKey> current = stored.active(alg);
                        SigningKey key = stored.generate(alg, size, now.plus(delay));
                        out.println("Published a new key in the database (" + describe(key, size) + ")");
                        out.println("It signs " + alg + " tokens from " + key.activatesAt() + "; servers publish it"
                                + " within a minute, so verifiers can fetch it from the JWKS first.");
                        current.ifPresent(old -> out.println("Afterwards retire the previous key once the tokens it signed"
                                + " have expired: tessera keys retire --config " + config + " -- " + old.kid()
                                + (settings.get().keys().rotation() != null ? " (keys.rotation does this by itself)" : "")));
                    }
                    return;
                }
                dir = keys.directory(dir, settings);
                Optional<SigningKey> current = new KeyRing(new KeyDirectory(dir).loadPublished().stream()
                        .map(StoredKey::key).toList()).active(alg, now);
                KeyFileWriter.WrittenKey written = new KeyFileWriter(keys.clock).generate(dir, alg, size, now.plus(delay));
                out.println("Published " + written.file() + " (" + describe(written.key(), size) + ")");
                out.println("It signs " + alg + " tokens from " + written.key().activatesAt() + "; until then verifiers"
                        + " can fetch it from the JWKS.");
                current.ifPresent(old -> out.println("Afterwards retire the previous key once the tokens it signed have"
                        + " expired: tessera keys retire --dir " + dir + " -- " + old.kid()));
            });
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = {"Stop publishing a key (it moves into retired/).",
                    "Tokens it signed stop verifying once verifiers refresh their JWKS. Refuses the only active key"
                            + " of an algorithm unless --force. A kid that starts with '-' goes after '--':"
                            + " keys retire --dir keys -- -ku51qFAE..."})
    static final class Retire implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KID", description = "The key's kid, as `keys list` shows it.")
        String kid;

        @Option(names = "--dir", description = "Key directory (default: keys.dir of --config, else " + DEFAULT_DIR + ").")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE",
                description = "tessera.yaml: with keys.source: store, work on the keys in its database.")
        Path config;

        @Option(names = "--force", description = "Retire it even if no other key of its algorithm is active.")
        boolean force;

        @Override
        public Integer call() {
            return keys.run(spec, out -> {
                Optional<TesseraConfig> settings = keys.load(config);
                if (KeysCommand.inStore(settings)) {
                    try (StoredKeys stored = new StoredKeys(settings.get(), keys.clock)) {
                        stored.retire(kid, force, out);
                    }
                    return;
                }
                dir = keys.directory(dir, settings);
                KeyDirectory directory = new KeyDirectory(dir);
                List<StoredKey> published = directory.loadPublished();
                StoredKey target = published.stream().filter(k -> k.key().kid().equals(kid)).findFirst()
                        .orElseThrow(() -> new KeyFileException("no published key has kid " + kid + " in " + dir
                                + "; `tessera keys list --dir " + dir + "` shows the kids"));
                Instant now = keys.clock.instant();
                JWSAlgorithm alg = target.key().algorithm();
                KeyRing before = new KeyRing(published.stream().map(StoredKey::key).toList());
                List<SigningKey> remaining = new ArrayList<>(before.published());
                remaining.remove(target.key());
                Optional<SigningKey> successor = new KeyRing(remaining).active(alg, now);
                boolean signsNow = before.active(alg, now).map(k -> k.kid().equals(kid)).orElse(false);
                if (signsNow && successor.isEmpty() && !force) {
                    throw new KeyFileException("refusing to retire " + kid + ": it is the only active " + alg
                            + " key, so the server could no longer sign " + alg + " tokens. Add a replacement first"
                            + " (`tessera keys generate --alg " + alg + " --dir " + dir + "`), or pass --force");
                }
                Path moved = new KeyFileWriter(keys.clock).retire(target);
                out.println("Retired " + kid + ": moved to " + moved + "; servers stop publishing it within a few seconds.");
                if (signsNow) {
                    out.println(successor.map(k -> alg + " tokens are now signed with " + k.kid() + ".")
                            .orElse("Warning: no " + alg + " key is active any more; servers keep their previous key ring"
                                    + " until one is."));
                }
            });
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = {"Re-seal every key in the database under a new key-encryption key, in one transaction.",
                    "keys.encryptionKey of --config opens them; the new key (32 random bytes in base64) comes from the"
                            + " environment variable --new-key-env or the file --new-key-file, never the command line."
                            + " Then set keys.encryptionKey to the new key on every instance and restart them."})
    static final class Rewrap implements Callable<Integer> {
        static final String DEFAULT_ENV = "TESSERA_NEW_KEY_ENCRYPTION_KEY";

        @ParentCommand
        KeysCommand keys;
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", required = true,
                description = "tessera.yaml with keys.source: store and the current keys.encryptionKey.")
        Path config;

        @Option(names = "--new-key-env", paramLabel = "NAME", defaultValue = DEFAULT_ENV,
                description = "Environment variable holding the new key (default: ${DEFAULT-VALUE}).")
        String newKeyEnv;

        @Option(names = "--new-key-file", paramLabel = "FILE", description = "File holding the new key instead.")
        Path newKeyFile;

        @Override
        public Integer call() {
            return keys.run(spec, out -> {
                Optional<TesseraConfig> settings = keys.load(config);
                if (!KeysCommand.inStore(settings)) {
                    throw new KeyFileException(config + " has keys.source: directory; rewrap applies to keys in the"
                            + " database (keys.source: store)");
                }
                String source = newKeyFile != null ? "file:" + newKeyFile : keys.environment.get(newKeyEnv);
                String what = newKeyFile != null ? "--new-key-file" : "the environment variable " + newKeyEnv;
                if (source == null || source.isBlank()) {
                    throw new KeyFileException(what + " is not set; put the new key there (openssl rand -base64 32)");
                }
                var next = KeyWiring.encryptionKey(source, what);
                try (StoredKeys stored = new StoredKeys(settings.get(), keys.clock)) {
                    int count = stored.rewrap(next);
                    out.println("Re-sealed " + count + " signing key" + (count == 1 ? "" : "s") + " under the new key.");
                    out.println("Now set keys.encryptionKey to the new key on every instance and restart them: an"
                            + " instance still on the old key keeps serving the keys it has loaded, but loads no new one.");
                }
            });
        }
    }

    /** Runs a subcommand body; a key problem becomes one line on stderr and exit code 1. */
    private int run(CommandSpec command, Body body) {
        PrintWriter out = command.commandLine().getOut();
        try {
            body.run(out);
            out.flush();
            return 0;
        } catch (ConfigException e) {
            out.flush();
            PrintWriter err = command.commandLine().getErr();
            err.println("error: the configuration has problems:");
            e.problems().forEach(problem -> err.println("  " + problem));
            err.flush();
            return 1;
        } catch (KeyFileException | IllegalStateException | IllegalArgumentException e) {
            out.flush();
            PrintWriter err = command.commandLine().getErr();
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The --config file, loaded and validated with this command's environment; empty without --config. */
    Optional<TesseraConfig> load(Path config) {
        return config == null ? Optional.empty() : Optional.of(ConfigLoader.load(config, environment));
    }

    static boolean inStore(Optional<TesseraConfig> settings) {
        return settings.map(s -> s.keys().fromStore()).orElse(false);
    }

    /** --dir, else keys.dir of the --config file, else ./keys. */
    Path directory(Path dir, Optional<TesseraConfig> settings) {
        return dir != null ? dir : settings.map(s -> s.keys().dir()).orElse(Path.of(DEFAULT_DIR));
    }

    @FunctionalInterface
    private interface Body {
        void run(PrintWriter out);
    }

    static final class AlgorithmConverter implements CommandLine.ITypeConverter<JWSAlgorithm> {
        @Override
        public JWSAlgorithm convert(String value) {
            try {
                return KeyMetadata.parseAlgorithm(value, "--alg");
            } catch (KeyFileException e) {
                throw new CommandLine.TypeConversionException("use RS256, ES256 or PS256, not '" + value + "'");
            }
        }
    }

    private static int rsaBits(CommandSpec spec, JWSAlgorithm alg, Integer bits) {
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return bits == null ? KeyFileWriter.DEFAULT_RSA_BITS : bits;
        }
        if (bits != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bits applies to RSA keys only; " + alg + " uses P-256");
        }
        return 0;
    }

    static Instant parseActivation(CommandSpec spec, String value, Instant now) {
        String text = value.trim();
        if (text.equalsIgnoreCase("now")) {
            return now;
        }
        if (text.startsWith("+")) {
            return now.plus(parseDelay(spec, "--activate-at", text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--activate-at must be an ISO-8601 instant"
                    + " (2025-06-01T00:00:00Z), a delay from now (+30m, +24h, +7d) or 'now', not '" + value + "'");
        }
    }

    static Duration parseDelay(CommandSpec spec, String option, String value) {
        String text = value.trim();
        Matcher matcher = DELAY.matcher(text.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            Duration parsed = Duration.parse(text.startsWith("+") ? text.substring(1) : text);
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(),
                option + " must be a delay such as 30m, 24h, 7d or PT12H, not '" + value + "'");
    }

    private static String describe(SigningKey key, int rsaBits) {
        String size = JWSAlgorithm.Family.RSA.contains(key.algorithm()) ? ", " + rsaBits + " bits" : ", P-256";
        return key.algorithm() + size + ", kid " + key.kid();
    }

    private static String state(KeyRing ring, SigningKey key, Instant now) {
        if (key.activatesAt().isAfter(now)) {
            return "pending";
        }
        return ring.active(key.algorithm(), now).map(active -> active.kid().equals(key.kid())).orElse(false)
                ? "active" : "superseded";
    }
}
