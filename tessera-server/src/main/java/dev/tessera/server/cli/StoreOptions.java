package dev.tessera.server.cli;

import dev.tessera.server.bootstrap.DevMode;
import dev.tessera.server.config.ConfigLoader;
import dev.tessera.server.config.PasswordsConfig;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.TesseraConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** Where the management commands find the store: the --config file's storage, or the dev store in ./data/dev. */
public final class StoreOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "tessera.yaml whose storage to use (default: the embedded store of serve --dev in ./data/dev)")
    Path config;

    private static final String DEV_ISSUER = "http://127.0.0.1:8080";

    private TesseraConfig loaded;

    /** The password rule of the --config file, or the defaults for the dev store, which has no file. */
    PasswordsConfig passwordRules() {
        return config().map(TesseraConfig::passwords).orElseGet(PasswordsConfig::defaults);
    }

    StorageConfig storage() {
        return config().map(TesseraConfig::storage).orElse(DevMode.STORAGE);
    }

    /** The key directory: the --config file's keys.dir, or the dev keys in ./keys/dev. */
    Path keysDir() {
        return config().map(c -> c.keys().dir()).orElse(DevMode.KEY_DIR);
    }

    /** The issuer of the --config file, or the dev server's. */
    String issuer() {
        return config().map(TesseraConfig::issuer).orElse(DEV_ISSUER);
    }

    /** The settings rules are checked against: the --config file, or the defaults of the dev store. */
    TesseraConfig settings() {
        return config().orElseGet(() -> TesseraConfig.defaults(DEV_ISSUER));
    }

    /** The --config file, loaded and validated once; empty for the dev store, which has no file. */
    Optional<TesseraConfig> config() {
        if (config != null && loaded == null) {
            loaded = ConfigLoader.load(config, System.getenv());
        }
        return Optional.ofNullable(loaded);
    }
}
