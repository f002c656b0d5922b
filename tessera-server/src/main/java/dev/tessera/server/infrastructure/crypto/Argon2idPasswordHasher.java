package dev.tessera.server.infrastructure.crypto;

import dev.tessera.server.application.port.PasswordHasher;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashes in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (OWASP Password Storage Cheat Sheet minimum:
 * 19 MiB, 2 passes, 1 lane). Verification takes its parameters from the stored string, so hashes made
 * by other Argon2id tools (or with stronger settings) verify too, within bounds that stop a hostile
 * hash from asking for unbounded memory or time.
 */
public final class Argon2idPasswordHasher implements PasswordHasher {
    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    // Upper bounds for stored hashes: 1 GiB, 16 passes, 16 lanes.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 16;
    private static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random;
    private final String dummyHash;

    public Argon2idPasswordHasher() {
        this(new SecureRandom());
    }

    Argon2idPasswordHasher(SecureRandom random) {
        this.random = random;
        // Our parameters with a random salt and "hash": verifying against it costs exactly what a real verify costs
        // (the work is the derivation, which no password can skip), without deriving a hash at every start.
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        this.dummyHash = phc(salt, hash);
    }

    /** The hash {@link #burnEquivalentTime} verifies against; for the test that it has our parameters. */
    String dummyHash() {
        return dummyHash;
    }

    @Override
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Params params = new Params(MEMORY_KIB, ITERATIONS, PARALLELISM, salt, new byte[HASH_BYTES]);
        return phc(salt, derive(password, params));
    }

    private static String phc(byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public boolean verify(char[] password, String phcHash) {
        if (password == null) {
            return false;
        }
        Optional<Params> parsed = parse(phcHash);
        if (parsed.isEmpty()) {
            return false;
        }
        Params params = parsed.get();
        return MessageDigest.isEqual(derive(password, params), params.expected()); // constant time
    }

    @Override
    public void burnEquivalentTime(char[] password) {
        verify(password == null ? new char[0] : password, dummyHash);
    }

    private static byte[] derive(char[] password, Params params) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKib())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(params.salt())
                .build());
        byte[] secret = utf8(password);
        byte[] out = new byte[params.expected().length];
        try {
            generator.generateBytes(secret, out);
            return out;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    private static Optional<Params> parse(String phcHash) {
        if (phcHash == null) {
            return Optional.empty();
        }
        Matcher m = PHC.matcher(phcHash);
        if (!m.matches()) {
            return Optional.empty();
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        // Argon2 requires m >= 8p; the upper bounds keep a planted hash from exhausting the server.
        if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                || memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            return Optional.empty();
        }
        try {
            byte[] salt = B64_DECODER.decode(m.group(4));
            byte[] expected = B64_DECODER.decode(m.group(5));
            // One hash, one spelling: refuse encodings with stray low bits (PHC strings are canonical).
            boolean canonical = B64.encodeToString(salt).equals(m.group(4))
                    && B64.encodeToString(expected).equals(m.group(5));
            if (!canonical || salt.length < 8 || expected.length < 16) {
                return Optional.empty();
            }
            return Optional.of(new Params(memory, iterations, parallelism, salt, expected));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // base64 with an impossible length
        }
    }

    private record Params(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] expected) { }
}
