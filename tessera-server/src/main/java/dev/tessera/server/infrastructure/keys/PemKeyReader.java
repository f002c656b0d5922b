package dev.tessera.server.infrastructure.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one private key from a PEM file: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or
 * SEC1 ({@code EC PRIVATE KEY}, optionally after an {@code EC PARAMETERS} block). The public key is always
 * derived from the private one, so a file cannot pair a private key with someone else's public key.
 * Error messages describe the file's shape, never its content.
 *
 * <p>The shape {@code keys generate} writes, and the one a start with {@code keys.generate} reads, is a single PKCS#8
 * block; the JDK reads it, for RSA and for EC P-256 (whose public half {@link JdkEcPublicKeys} computes). Every other
 * shape, and anything the JDK does not take, goes to {@link BouncyCastlePemKeys} exactly as before, with the same
 * messages. Bouncy Castle's jars are signed, so the JVM
 * checks a digest of every class it loads from them and cannot keep those classes in the class-data sharing archive:
 * loading it cost a start hundreds of milliseconds.
 */
final class PemKeyReader {
    private static final long MAX_FILE_BYTES = 64 * 1024;
    // One PKCS#8 block, its markers at the start of their lines, nothing but base64 between them (no headers: an
    // encrypted key would have them), nothing but blank lines around it. Strictly a subset of what Bouncy Castle's
    // PemReader takes, so a file the JDK reads is one Bouncy Castle read the same way.
    private static final Pattern SINGLE_PKCS8 = Pattern.compile("(?:[ \\t]*\\r?\\n)*-----BEGIN PRIVATE KEY-----\\r?\\n"
            + "((?:[A-Za-z0-9+/=]+\\r?\\n)+)-----END PRIVATE KEY-----(?:\\r?\\n[ \\t]*)*");
    // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, ... }: right after the outer SEQUENCE's header
    // come version 0 and the rsaEncryption identifier with NULL parameters.
    private static final byte[] VERSION_0_RSA_ENCRYPTION = {
            0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x01, 0x05, 0x00};
    // ... or version 0 and the id-ecPublicKey identifier with the named curve prime256v1 (P-256) as its parameters.
    private static final byte[] VERSION_0_EC_P256 = {
            0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
            0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    private PemKeyReader() {
    }

    static KeyPair read(Path file) {
        byte[] content;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw problem(file, "is larger than " + MAX_FILE_BYTES / 1024 + " KiB, so it is not a PEM private key");
            }
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        KeyPair plain = plainPkcs8(content);
        return plain != null ? plain : BouncyCastlePemKeys.read(file, content);
    }

    /**
     * The key of a file that is one PKCS#8 RSA private key with its CRT parameters, or one PKCS#8 EC P-256 private key
     * whose public half the JDK derives; null for anything else.
     */
    private static KeyPair plainPkcs8(byte[] content) {
        // ISO-8859-1 maps every byte, so a binary file simply does not match.
        Matcher block = SINGLE_PKCS8.matcher(new String(content, StandardCharsets.ISO_8859_1));
        if (!block.matches()) {
            return null;
        }
        try {
            String base64 = block.group(1).replace("\r", "").replace("\n", "");
            if (base64.length() % 4 != 0) {
                return null; // unpadded: the JDK would take it, so leave the verdict to Bouncy Castle as before
            }
            byte[] der = Base64.getDecoder().decode(base64);
            if (startsWith(der, VERSION_0_RSA_ENCRYPTION)) {
                PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                return key instanceof RSAPrivateCrtKey rsa ? new KeyPair(rsaPublicKey(rsa), rsa) : null;
            }
            if (startsWith(der, VERSION_0_EC_P256)) {
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
                PublicKey publicKey = key instanceof ECPrivateKey ec ? JdkEcPublicKeys.derive(ec) : null;
                return publicKey != null ? new KeyPair(publicKey, key) : null;
            }
            return null; // other curves, RSASSA-PSS, ...: whichever provider is first must not guess
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null; // broken base64, another algorithm, malformed DER: Bouncy Castle says which
        }
    }

    // One SEQUENCE spanning exactly the whole input (Bouncy Castle refuses extra bytes after it), starting with
    // version 0 and the given algorithm identifier.
    private static boolean startsWith(byte[] der, byte[] prefix) {
        if (der.length < 2 || der[0] != 0x30) {
            return false;
        }
        int header = 2;
        int length = der[1] & 0xff;
        if (length > 0x7f) {
            int octets = length & 0x7f;
            if (octets < 1 || octets > 3 || der.length < 2 + octets) {
                return false;
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            header += octets;
        }
        return length == der.length - header && length >= prefix.length
                && Arrays.equals(der, header, header + prefix.length, prefix, 0, prefix.length);
    }

    static PublicKey rsaPublicKey(RSAPrivateCrtKey rsa) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    }

    static KeyFileException problem(Path file, String what) {
        return new KeyFileException(file + " " + what);
    }
}
