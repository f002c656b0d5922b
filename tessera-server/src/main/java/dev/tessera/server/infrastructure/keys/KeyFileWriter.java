package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.SigningKey;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Writes keys into the key directory for the {@code keys} CLI and {@code serve --dev}; never called from a
 * request handler, since a 4096-bit RSA key takes seconds to generate.
 *
 * <p>A key file is created with mode 0600 from its first byte (no chmod after writing) under a hidden
 * temporary name, then moved into place atomically. The sidecar is written first, so a reloading server
 * never sees the key without its algorithm and activation time.
 */
public final class KeyFileWriter {
    public static final int DEFAULT_RSA_BITS = 4096;
    public static final int MAX_RSA_BITS = 16384;
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SIDECAR = PosixFilePermissions.fromString("rw-r--r--");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    public KeyFileWriter(Clock clock) {
        this.clock = clock;
    }

    /** A key just written. */
    public record WrittenKey(Path file, SigningKey key) {
    }

    /**
     * Generates and writes one key: RSA ({@code rsaBits}, e = 65537) for RS256/PS256, P-256 for ES256.
     *
     * @param activatesAt when it starts signing; before that it is only published
     */
    public WrittenKey generate(Path dir, JWSAlgorithm alg, int rsaBits, Instant activatesAt) {
        if (!SigningKey.SUPPORTED_ALGORITHMS.contains(alg)) {
            throw new KeyFileException("cannot generate a key for " + alg + ": use RS256, PS256 or ES256");
        }
        boolean rsa = JWSAlgorithm.Family.RSA.contains(alg);
        if (rsa && (rsaBits < SigningKey.MIN_RSA_BITS || rsaBits > MAX_RSA_BITS)) {
            throw new KeyFileException("RSA keys need between " + SigningKey.MIN_RSA_BITS + " and " + MAX_RSA_BITS
                    + " bits, not " + rsaBits);
        }
        KeyPair pair = rsa ? generateRsa(rsaBits) : generateP256();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant activation = activatesAt.truncatedTo(ChronoUnit.SECONDS);
        SigningKey key = SigningKey.fromKeyPair(pair, alg, activation);
        String baseName = alg.getName().toLowerCase(java.util.Locale.ROOT) + "-" + FILE_TIME.format(now) + "-"
                + key.kid().substring(0, 12);
        try {
            createDirectory(dir);
            Path file = dir.resolve(baseName + ".pem");
            if (Files.exists(file)) {
                throw new KeyFileException(file + " already exists");
            }
            writeAtomically(KeyMetadata.sidecarOf(file), SIDECAR,
                    new KeyMetadata(alg, activation, now).toJson().getBytes(StandardCharsets.UTF_8));
            writeAtomically(file, OWNER_READ_WRITE, pkcs8Pem(pair));
            return new WrittenKey(file, key);
        } catch (IOException e) {
            throw new KeyFileException("cannot write a key into " + dir + " (" + e + ")", e);
        }
    }

    /**
     * For {@code serve --dev}: makes sure {@code dir} holds an RS256 key that is active now, generating a
     * 4096-bit one when it does not. Returns true when it generated one (the caller logs a warning).
     * A directory with an unusable file is reported, not papered over with a new key.
     */
    public boolean ensureDevKey(Path dir) {
        if (Files.isDirectory(dir)) {
            List<StoredKey> keys = new KeyDirectory(dir).loadPublished();
            Instant now = clock.instant();
            boolean hasActiveRs256 = keys.stream().anyMatch(k -> k.key().algorithm().equals(JWSAlgorithm.RS256)
                    && !k.key().activatesAt().isAfter(now));
            if (hasActiveRs256) {
                return false;
            }
        }
        generate(dir, JWSAlgorithm.RS256, DEFAULT_RSA_BITS, clock.instant());
        return true;
    }

    /**
     * Stops publishing a key: moves its file (and sidecar) into {@code retired/}, where loading ignores it.
     * Kept rather than deleted, so an operator can see what was retired and when.
     */
    public Path retire(StoredKey key) {
        Path retired = key.file().resolveSibling(KeyDirectory.RETIRED);
        try {
            createDirectory(retired);
            Path sidecar = KeyMetadata.sidecarOf(key.file());
            // Key first: once it leaves the directory it is unpublished, whatever happens to the sidecar.
            Path target = retired.resolve(key.file().getFileName());
            move(key.file(), target);
            if (Files.exists(sidecar)) {
                move(sidecar, retired.resolve(sidecar.getFileName()));
            }
            return target;
        } catch (IOException e) {
            throw new KeyFileException("cannot move " + key.file() + " into " + retired + " (" + e + ")", e);
        }
    }

    static KeyPair generateRsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("cannot generate a " + bits + "-bit RSA key (" + e + ")", e);
        }
    }

    static KeyPair generateP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("cannot generate a P-256 key (" + e + ")", e);
        }
    }

    /**
     * PKCS#8 in PEM as OpenSSL and Bouncy Castle's PemWriter write it (base64 in lines of 64). With the JDK's encoder:
     * a start with {@code keys.generate} loads this class, and the first Bouncy Castle class it loaded cost the
     * verification of that signed jar.
     */
    static byte[] pkcs8Pem(KeyPair pair) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded());
        return ("-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void createDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attributes(dir, OWNER_ONLY_DIR));
        }
    }

    /** Creates a hidden temporary file with {@code permissions} from the start, fills it, then renames it. */
    private static void writeAtomically(Path target, Set<PosixFilePermission> permissions, byte[] content) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes(target.getParent(), permissions));
             OutputStream out = Channels.newOutputStream(channel)) {
            out.write(content);
            channel.force(true);
        }
        try {
            move(temporary, target);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            throw new FileAlreadyExistsException(to.toString());
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static FileAttribute<?>[] attributes(Path dir, Set<PosixFilePermission> permissions) {
        // Windows has no POSIX modes: there the directory's ACLs decide who can read the key.
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
