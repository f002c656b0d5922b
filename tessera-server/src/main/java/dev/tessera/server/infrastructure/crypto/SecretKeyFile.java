package dev.tessera.server.infrastructure.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A 256-bit random key in a file of its own (base64url, mode 0600), made on first need. Instances that share
 * the directory share the key: whichever creates it first wins, the others read that one, because the file
 * appears by a hard link of a fully written temporary file, which fails if the name already exists.
 */
public final class SecretKeyFile {
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;

    public SecretKeyFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** The key, refused when the file is readable by others or is not 32 bytes of base64url. */
    public byte[] read() {
        try {
            SecretFilePermissions.problem(file).ifPresent(problem -> {
                throw new IllegalStateException(problem);
            });
            byte[] key = Base64.getUrlDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (key.length != 32) {
                throw new IllegalStateException(file + " does not hold a 256-bit key");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold a base64url key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The key in the file, creating the file with a fresh random key when there is none. */
    public byte[] readOrCreate() {
        if (!exists()) {
            create();
        }
        return read();
    }

    private void create() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(dir);
            temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
            Files.writeString(temporary, Base64.getUrlEncoder().withoutPadding().encodeToString(key) + "\n",
                    StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException raced) {
                // Another instance made it first: its key is the one.
            }
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("cannot create " + file + ": the file system lacks POSIX permissions", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + " (" + e.getClass().getSimpleName()
                    + "); create it yourself: 32 random bytes, base64url, mode 0600", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a leftover hidden temporary file is harmless
                }
            }
        }
    }
}
