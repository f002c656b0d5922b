package dev.tessera.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The signing keys: where the ring lives and how it rotates (SPEC §2, §7).
 *
 * @param generate      true lets startup create a key when there is none (dev and tests only)
 * @param provider      {@value #PROVIDER_AUTO} (Amazon Corretto Crypto Provider where it loads) or {@value #PROVIDER_JDK}
 * @param source        {@value #SOURCE_DIRECTORY} ({@code dir}) or {@value #SOURCE_STORE} (the database)
 * @param encryptionKey store only: the key-encryption key, base64 of 32 bytes or {@code file:PATH}; never printed
 * @param rotation      null: keys rotate only by hand
 * @param reloadInterval store only: how often an instance rereads the ring (and checks the rotation); null is
 *                      {@link #DEFAULT_RELOAD_INTERVAL}
 */
public record KeysConfig(Path dir, boolean generate, String provider, String source, String encryptionKey,
                         KeyRotationConfig rotation, Duration reloadInterval) {
    public static final Path DEFAULT_DIR = Path.of("./keys");
    public static final String PROVIDER_AUTO = "auto";
    public static final String PROVIDER_JDK = "jdk";
    public static final String SOURCE_DIRECTORY = "directory";
    public static final String SOURCE_STORE = "store";
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(30);
    /** SPEC §7: every instance sees a key change within a minute. */
    public static final Duration MAX_RELOAD_INTERVAL = Duration.ofMinutes(1);
    /** Each check is a query per instance; below a second it would only load the database. */
    public static final Duration MIN_RELOAD_INTERVAL = Duration.ofSeconds(1);

    public KeysConfig {
        source = source == null ? SOURCE_DIRECTORY : source;
    }

    public KeysConfig(Path dir, boolean generate, String provider) {
        this(dir, generate, provider, SOURCE_DIRECTORY, null, null, null);
    }

    public static KeysConfig defaults() {
        return new KeysConfig(DEFAULT_DIR, false, PROVIDER_AUTO);
    }

    public boolean fromStore() {
        return SOURCE_STORE.equals(source);
    }

    /** The reload interval in force: {@code reloadInterval}, or the default when it is not set. */
    public Duration reloadEvery() {
        return reloadInterval == null ? DEFAULT_RELOAD_INTERVAL : reloadInterval;
    }

    public KeysConfig withGenerate(boolean value) {
        return new KeysConfig(dir, value, provider, source, encryptionKey, rotation, reloadInterval);
    }

    public KeysConfig withDir(Path value) {
        return new KeysConfig(value, generate, provider, source, encryptionKey, rotation, reloadInterval);
    }

    /** The ring in the database, sealed under {@code encryptionKey}. */
    public KeysConfig inStore(String value) {
        return new KeysConfig(dir, generate, provider, SOURCE_STORE, value, rotation, reloadInterval);
    }

    public KeysConfig withRotation(KeyRotationConfig value) {
        return new KeysConfig(dir, generate, provider, source, encryptionKey, value, reloadInterval);
    }

    public KeysConfig withReloadInterval(Duration value) {
        return new KeysConfig(dir, generate, provider, source, encryptionKey, rotation, value);
    }

    @Override
    public String toString() {
        return "KeysConfig[dir=" + dir + ", generate=" + generate + ", provider=" + provider + ", source=" + source
                + ", encryptionKey=" + Redaction.mask(encryptionKey) + ", rotation=" + rotation + ", reloadInterval=" + reloadInterval + "]";
    }
}
