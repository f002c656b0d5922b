package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.jwk.Curve;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECPublicKeySpec;

/**
 * {@link PemKeyReader}'s reading of every PEM shape besides a plain PKCS#8 RSA or EC P-256 key, with Bouncy Castle:
 * PKCS#8 EC keys the JDK does not read, PKCS#1, SEC1 (optionally after an {@code EC PARAMETERS} block), and the refusals (encrypted keys, public keys,
 * certificates, several keys). Its own class so that reading a plain PKCS#8 key never loads Bouncy Castle, whose signed
 * jars the JVM must verify and class-data sharing cannot archive.
 */
final class BouncyCastlePemKeys {
    private BouncyCastlePemKeys() {
    }

    static KeyPair read(Path file, byte[] content) {
        // ISO-8859-1 maps every byte, so a binary file reads as "no PEM block" instead of a decoding error.
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            PrivateKey found = null;
            Object object;
            while ((object = parser.readObject()) != null) {
                PrivateKey key = privateKeyOf(file, object);
                if (key == null) {
                    continue;
                }
                if (found != null) {
                    throw problem(file, "holds more than one private key; put each key in its own file");
                }
                found = key;
            }
            if (found == null) {
                throw problem(file, "holds no PEM private key (expected -----BEGIN PRIVATE KEY-----,"
                        + " -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
            }
            return new KeyPair(publicKeyOf(file, found), found);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            // Bouncy Castle reports broken base64 or ASN.1 this way; its messages carry no key material, but
            // the class name is all the operator needs.
            throw problem(file, "is not a readable PEM private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The private key in one PEM object, null for objects to skip, or a refusal. */
    private static PrivateKey privateKeyOf(Path file, Object object) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof ASN1ObjectIdentifier) {
            return null; // the EC PARAMETERS block that `openssl ecparam -genkey` writes first
        }
        if (object instanceof PEMKeyPair pair) {
            return converter.getPrivateKey(pair.getPrivateKeyInfo()); // PKCS#1 RSA or SEC1 EC
        }
        if (object instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info); // PKCS#8
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            throw problem(file, "is encrypted; Tessera reads unencrypted keys protected by file permissions"
                    + " (decrypt it with `openssl pkey -in " + file + " -out <new file>`)");
        }
        if (object instanceof SubjectPublicKeyInfo) {
            throw problem(file, "holds a public key; the key directory needs the private key");
        }
        if (object instanceof X509CertificateHolder) {
            throw problem(file, "holds a certificate; the key directory needs the private key");
        }
        throw problem(file, "holds an unsupported PEM object (" + object.getClass().getSimpleName() + ")");
    }

    private static PublicKey publicKeyOf(Path file, PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return PemKeyReader.rsaPublicKey(rsa);
            }
            if (key instanceof RSAPrivateKey) {
                throw problem(file, "holds an RSA key without its public exponent (no CRT parameters);"
                        + " re-export it with `openssl pkey -in <file> -out <new file>`");
            }
            if (key instanceof ECPrivateKey ec) {
                if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw problem(file, "holds an EC key on a curve other than P-256; only P-256 (ES256) is supported");
                }
                X9ECParameters p256 = CustomNamedCurves.getByName("P-256");
                BigInteger s = ec.getS();
                if (s.signum() <= 0 || s.compareTo(p256.getN()) >= 0) {
                    throw problem(file, "holds an EC private key outside the range of curve P-256");
                }
                ECPoint q = new FixedPointCombMultiplier().multiply(p256.getG(), s).normalize();
                java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                        q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
            }
        } catch (GeneralSecurityException e) {
            throw problem(file, "holds a key whose public half cannot be derived (" + e.getClass().getSimpleName() + ")");
        }
        throw problem(file, "holds a " + key.getAlgorithm() + " key; only RSA and EC P-256 keys are supported");
    }

    private static KeyFileException problem(Path file, String what) {
        return PemKeyReader.problem(file, what);
    }
}
