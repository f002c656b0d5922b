package dev.tessera.server.infrastructure.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

/**
 * SPEC §7's rule for every file that holds secret key material (signing keys in {@code keys.dir}, the TOTP sealing
 * key, a {@code keys.encryptionKey: file:} key): refused when every user of the machine may read it. Group read
 * stays allowed on purpose: a Kubernetes Secret mounted with {@code defaultMode: 0440} and {@code fsGroup} is the
 * documented way to hand keys to a non-root pod. One rule, so the three kinds of key file can never drift apart.
 */
public final class SecretFilePermissions {
    private SecretFilePermissions() {
    }

    /**
     * What is wrong with {@code file}'s permissions, in words an operator can act on; empty when only its owner and
     * group may read it, or when the file system has no POSIX permissions (its ACLs are the operator's business).
     *
     * @throws IOException when the permissions cannot be read (e.g. the file is missing)
     */
    public static Optional<String> problem(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null || !view.readAttributes().permissions().contains(PosixFilePermission.OTHERS_READ)) {
            return Optional.empty();
        }
        return Optional.of(file + " is readable by every user of this machine; restrict it with `chmod 600 " + file + "`");
    }
}
