package dev.tessera.server.testsupport;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.KeyRingSource;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.List;

/**
 * Key pairs generated once per JVM (RSA generation takes seconds with the JDK), plus PEM encodings and a
 * ready key ring for tests that only need something to sign with. Use 2048-bit keys unless the size matters.
 */
public final class TestKeys {
    private TestKeys() {
    }

    private static final class Rsa2048 {
        static final KeyPair PAIR = rsa(2048);
    }

    private static final class Rsa2048Second {
        static final KeyPair PAIR = rsa(2048);
    }

    private static final class Rsa4096 {
        static final KeyPair PAIR = rsa(4096);
    }

    private static final class Ec256 {
        static final KeyPair PAIR = ec();
    }

    private static final class Ec256Second {
        static final KeyPair PAIR = ec();
    }

    private static final class Ring {
        static final KeyRing RING = new KeyRing(List.of(
                SigningKey.fromKeyPair(rsa2048(), JWSAlgorithm.RS256, Instant.EPOCH),
                SigningKey.fromKeyPair(rsa2048Second(), JWSAlgorithm.PS256, Instant.EPOCH),
                SigningKey.fromKeyPair(ecP256(), JWSAlgorithm.ES256, Instant.EPOCH)));
    }

    public static KeyPair rsa2048() {
        return Rsa2048.PAIR;
    }

    /** A second, different 2048-bit pair (e.g. for rotation tests). */
    public static KeyPair rsa2048Second() {
        return Rsa2048Second.PAIR;
    }

    public static KeyPair rsa4096() {
        return Rsa4096.PAIR;
    }

    public static KeyPair ecP256() {
        return Ec256.PAIR;
    }

    public static KeyPair ecP256Second() {
        return Ec256Second.PAIR;
    }

    /** A fresh 1024-bit RSA pair (cheap), for refusal tests. */
    public static KeyPair weakRsa1024() {
        return generateRsa(1024, jdkProvider("SunRsaSign"));
    }

    /** RS256 (2048), PS256 (2048) and ES256 keys, all active since the epoch. */
    public static KeyRing keyRing() {
        return Ring.RING;
    }

    public static KeyRingSource keyRingSource() {
        return () -> Ring.RING;
    }

    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
    public static String pkcs8Pem(KeyPair pair) {
        return pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    /** {@code -----BEGIN RSA PRIVATE KEY-----} (PKCS#1) for an RSA pair. */
    public static String traditionalPem(KeyPair pair) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pair.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * What {@code openssl ecparam -name prime256v1 -genkey} writes: an EC PARAMETERS block, then a SEC1
     * {@code EC PRIVATE KEY} carrying the curve and the public point.
     */
    public static String opensslEcPem(KeyPair pair) {
        try {
            ASN1ObjectIdentifier p256 = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
            byte[] point = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData().getBytes();
            ECPrivateKey sec1 = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(),
                    new DERBitString(point), p256);
            return pem(new PemObject("EC PARAMETERS", p256.getEncoded())) + pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String publicKeyPem(KeyPair pair) {
        return pem(new PemObject("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    /** Writes {@code content} to {@code dir/name} with mode 0600, as a key file should be. */
    public static Path writeKeyFile(Path dir, String name, String content) {
        return writeFile(dir, name, content, "rw-------");
    }

    public static Path writeFile(Path dir, String name, String content, String posixPermissions) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.writeString(file, content, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(posixPermissions));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(PemObject object) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static KeyPair rsa(int bits) {
        // ACCP generates 4096-bit keys about 6x faster; the pair works with any provider afterwards.
        Provider fast = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null ? AmazonCorrettoCryptoProvider.INSTANCE : null;
        return generateRsa(bits, fast);
    }

    private static KeyPair generateRsa(int bits, Provider provider) {
        try {
            KeyPairGenerator generator = provider != null ? KeyPairGenerator.getInstance("RSA", provider) : KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Provider jdkProvider(String name) {
        return java.security.Security.getProvider(name);
    }
}
