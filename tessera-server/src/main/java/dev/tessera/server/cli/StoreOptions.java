package dev.tessera.server.cli;

import dev.tessera.server.config.ConfigLoader;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.TesseraConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the management commands find the store: the --config file's storage, or the dev store in ./data. */
public final class StoreOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "tessera.yaml whose storage to use (default: the embedded store of serve --dev in ./data)")
    Path config;

    StorageConfig storage() {
        if (config == null) {
            return StorageConfig.defaults();
        }
        TesseraConfig loaded = ConfigLoader.load(config, System.getenv());
        return loaded.storage();
    }
}
