package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.infrastructure.crypto.SecretFilePermissions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The key directory ({@code keys.dir}). Every {@code *.pem} or {@code *.key} file directly inside it is a
 * published key, with optional {@link KeyMetadata} in {@code <name>.json}. Files under {@code retired/} are
 * no longer published; hidden files (such as a writer's temporary files) are ignored.
 *
 * <p>Loading is all or nothing: one unusable file (unreadable, world-readable, RSA under 2048 bits, not a
 * key) fails the whole load with every problem listed, so instances sharing the directory never publish
 * different partial rings.
 */
public final class KeyDirectory {
    public static final String RETIRED = "retired";

    private final Path dir;

    public KeyDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path retiredPath() {
        return dir.resolve(RETIRED);
    }

    /** The ring of every published key. */
    public KeyRing loadRing() {
        List<StoredKey> keys = loadPublished();
        if (keys.isEmpty()) {
            throw new KeyFileException("key directory " + dir + " holds no key file (*.pem);"
                    + " create one with `tessera keys generate --dir " + dir + "`");
        }
        return new KeyRing(keys.stream().map(StoredKey::key).toList());
    }

    /** Every published key, or a {@link KeyFileException} listing every unusable file. */
    public List<StoredKey> loadPublished() {
        if (!Files.isDirectory(dir)) {
            throw new KeyFileException("key directory " + dir + " does not exist;"
                    + " create a key with `tessera keys generate --dir " + dir + "`");
        }
        return loadAll(keyFiles(dir), true);
    }

    /** Keys under {@code retired/}, for {@code keys list}; permissions are not checked there. */
    public List<StoredKey> loadRetired() {
        Path retired = retiredPath();
        return Files.isDirectory(retired) ? loadAll(keyFiles(retired), false) : List.of();
    }

    /**
     * A cheap summary of the directory (names, sizes, modification times of the entries that loading reads),
     * so a reloader can tell that something changed without parsing keys.
     */
    public String fingerprint() throws IOException {
        StringBuilder summary = new StringBuilder();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(KeyDirectory::isVisible).sorted().toList()) {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                summary.append(entry.getFileName()).append('|').append(attributes.size()).append('|')
                        .append(attributes.lastModifiedTime().toMillis()).append('\n');
            }
        }
        return summary.toString();
    }

    static boolean isKeyFile(Path file) {
        String name = file.getFileName().toString();
        return isVisible(file) && (name.endsWith(".pem") || name.endsWith(".key")) && Files.isRegularFile(file);
    }

    private static boolean isVisible(Path file) {
        return !file.getFileName().toString().startsWith(".");
    }

    private static List<Path> keyFiles(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.forEach(entry -> {
                if (isKeyFile(entry)) {
                    files.add(entry);
                }
            });
        } catch (IOException e) {
            throw new KeyFileException("key directory " + directory + " cannot be listed (" + e.getClass().getSimpleName() + ")", e);
        }
        files.sort(null);
        return files;
    }

    private static List<StoredKey> loadAll(List<Path> files, boolean checkPermissions) {
        List<StoredKey> keys = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                keys.add(load(file, checkPermissions));
            } catch (KeyFileException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new KeyFileException(problems.size() == 1 ? problems.get(0)
                    : "unusable key files:\n  - " + String.join("\n  - ", problems));
        }
        return keys;
    }

    /** Loads one key file with its sidecar. */
    static StoredKey load(Path file, boolean checkPermissions) {
        if (checkPermissions) {
            refuseWorldReadable(file);
        }
        KeyPair pair = PemKeyReader.read(file);
        KeyMetadata metadata = KeyMetadata.readFor(file);
        JWSAlgorithm alg = metadata.algorithm() != null ? metadata.algorithm()
                : pair.getPublic() instanceof RSAPublicKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
        Instant activatesAt = metadata.activatesAt() != null ? metadata.activatesAt() : lastModified(file);
        try {
            return new StoredKey(file, SigningKey.fromKeyPair(pair, alg, activatesAt), metadata.activatesAt() != null);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(file + ": " + e.getMessage());
        }
    }

    private static void refuseWorldReadable(Path file) {
        try {
            SecretFilePermissions.problem(file).ifPresent(problem -> {
                throw new KeyFileException(problem);
            });
        } catch (IOException e) {
            throw new KeyFileException(file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException e) {
            throw new KeyFileException(file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
