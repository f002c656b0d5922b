package dev.tessera.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The form of {@code keys.encryptionKey}: 32 bytes in base64 (standard or URL-safe, padding optional), or
 * {@code file:PATH} naming a file that holds them (a mounted secret). Messages never repeat the value.
 */
public final class KeyEncryptionKeyFormat {
    public static final int KEY_BYTES = 32;
    private static final String FILE_PREFIX = "file:";

    private KeyEncryptionKeyFormat() {
    }

    /** What is wrong with an inline value; a file reference is only read at startup. */
    static Optional<String> problem(String value) {
        if (value.startsWith(FILE_PREFIX)) {
            return value.length() == FILE_PREFIX.length() ? Optional.of("file: must name a file") : Optional.empty();
        }
        try {
            byte[] key = decode(value);
            Arrays.fill(key, (byte) 0);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The 32 key bytes.
     *
     * @throws IllegalArgumentException naming {@code what} (e.g. keys.encryptionKey) and the problem
     */
    public static byte[] read(String value, String what) {
        String text = value == null ? "" : value.strip();
        Optional<Path> named = file(text, what);
        if (named.isPresent()) {
            Path file = named.get();
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
            what = what + " (" + file + ")";
        }
        try {
            return decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + e.getMessage());
        }
    }

    /**
     * The file a {@code file:PATH} value names, so the caller can check who may read it before it is read; empty
     * for an inline key.
     *
     * @throws IllegalArgumentException naming {@code what} when PATH is not a valid path
     */
    public static Optional<Path> file(String value, String what) {
        String text = value == null ? "" : value.strip();
        if (!text.startsWith(FILE_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text.substring(FILE_PREFIX.length())));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + ": file: does not name a valid path");
        }
    }

    private static byte[] decode(String text) {
        String base64 = text.strip().replace('-', '+').replace('_', '/');
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.length() % 4 == 0 ? base64 : base64 + "=".repeat(4 - base64.length() % 4));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be 32 random bytes in base64 (openssl rand -base64 32), and is not base64");
        }
        if (key.length != KEY_BYTES) {
            int length = key.length;
            Arrays.fill(key, (byte) 0);
            throw new IllegalArgumentException("must be 32 random bytes in base64 (openssl rand -base64 32), not "
                    + length + " bytes");
        }
        return key;
    }
}
