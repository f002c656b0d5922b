package dev.tessera.server.config;

import java.nio.file.Path;

/**
 * The signing key directory.
 *
 * @param generate true lets startup create a key when the directory has none (dev and tests only)
 * @param provider {@value #PROVIDER_AUTO} (Amazon Corretto Crypto Provider where it loads) or {@value #PROVIDER_JDK}
 */
public record KeysConfig(Path dir, boolean generate, String provider) {
    public static final Path DEFAULT_DIR = Path.of("./keys");
    public static final String PROVIDER_AUTO = "auto";
    public static final String PROVIDER_JDK = "jdk";

    public static KeysConfig defaults() {
        return new KeysConfig(DEFAULT_DIR, false, PROVIDER_AUTO);
    }

    public KeysConfig withGenerate(boolean value) {
        return new KeysConfig(dir, value, provider);
    }

    public KeysConfig withDir(Path value) {
        return new KeysConfig(value, generate, provider);
    }
}
