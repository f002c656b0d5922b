package dev.tessera.server.infrastructure.keys;

import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDK reads a plain PKCS#8 RSA or EC P-256 key (what {@code keys generate} writes) to exactly the key pair Bouncy
 * Castle made of it; everything else still goes to Bouncy Castle, with its messages.
 */
class PemKeyReaderTest {
    @TempDir
    Path dir;

    @Test
    void aPlainPkcs8RsaKeyReadsToTheSamePairAsBeforeWithAnyLineEndings() throws IOException {
        KeyPair rsa = TestKeys.rsa2048();
        String pem = TestKeys.pkcs8Pem(rsa);
        for (String variant : new String[] {pem, pem.replace("\n", "\r\n"), "\n\n" + pem + "\n  \n"}) {
            Path file = TestKeys.writeKeyFile(dir, "k.pem", variant);

            KeyPair read = PemKeyReader.read(file);

            assertThat(read.getPrivate().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
            assertThat(read.getPublic().getEncoded()).isEqualTo(rsa.getPublic().getEncoded());
            KeyPair before = BouncyCastlePemKeys.read(file, Files.readAllBytes(file));
            assertThat(read.getPrivate()).isEqualTo(before.getPrivate());
            assertThat(read.getPublic()).isEqualTo(before.getPublic());
        }
    }

    @Test
    void aPlainPkcs8EcKeyReadsToTheSamePairAsBouncyCastleMadeOfIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < 20; i++) {
            KeyPair ec = generator.generateKeyPair();
            Path file = TestKeys.writeKeyFile(dir, "ec" + i + ".pem", TestKeys.pkcs8Pem(ec));

            KeyPair read = PemKeyReader.read(file);

            assertThat(read.getPublic()).isEqualTo(ec.getPublic());
            assertThat(read.getPrivate().getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
            KeyPair before = BouncyCastlePemKeys.read(file, Files.readAllBytes(file));
            assertThat(read.getPublic()).isEqualTo(before.getPublic());
            assertThat(read.getPrivate()).isEqualTo(before.getPrivate());
        }
    }

    @Test
    void theSmallestAndLargestEcScalarsGiveTheGeneratorAndItsNegation() throws Exception {
        ECParameterSpec p256 = ((ECPrivateKey) TestKeys.ecP256().getPrivate()).getParams();
        BigInteger n = p256.getOrder();
        ECPoint g = p256.getGenerator();
        KeyFactory ec = KeyFactory.getInstance("EC");

        PrivateKey one = ec.generatePrivate(new ECPrivateKeySpec(BigInteger.ONE, p256));
        ECPublicKey q = (ECPublicKey) PemKeyReader.read(TestKeys.writeKeyFile(dir, "one.pem", pem(one.getEncoded()))).getPublic();
        assertThat(q.getW()).isEqualTo(g);

        PrivateKey last = ec.generatePrivate(new ECPrivateKeySpec(n.subtract(BigInteger.ONE), p256));
        q = (ECPublicKey) PemKeyReader.read(TestKeys.writeKeyFile(dir, "last.pem", pem(last.getEncoded()))).getPublic();
        BigInteger p = ((ECFieldFp) p256.getCurve().getField()).getP();
        assertThat(q.getW()).isEqualTo(new ECPoint(g.getAffineX(), p.subtract(g.getAffineY())));
    }

    @Test
    void anEcScalarOutsideTheCurvesRangeIsRefusedAsBefore() throws Exception {
        ECParameterSpec p256 = ((ECPrivateKey) TestKeys.ecP256().getPrivate()).getParams();
        // The JDK's key factory builds the encoding without checking the range; the reading must refuse it.
        PrivateKey order = KeyFactory.getInstance("EC", "SunEC")
                .generatePrivate(new ECPrivateKeySpec(p256.getOrder(), p256));

        assertThatThrownBy(() -> PemKeyReader.read(TestKeys.writeKeyFile(dir, "n.pem", pem(order.getEncoded()))))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("n.pem holds an EC private key outside the range of curve P-256");
    }

    @Test
    void otherShapesStillRead() throws NoSuchAlgorithmException {
        KeyPair ec = TestKeys.ecP256();
        assertThat(PemKeyReader.read(TestKeys.writeKeyFile(dir, "ec.pem", TestKeys.pkcs8Pem(ec))).getPublic())
                .isEqualTo(ec.getPublic());
        assertThat(PemKeyReader.read(TestKeys.writeKeyFile(dir, "sec1.pem", TestKeys.opensslEcPem(ec))).getPublic())
                .isEqualTo(ec.getPublic());
        KeyPair rsa = TestKeys.rsa2048();
        assertThat(PemKeyReader.read(TestKeys.writeKeyFile(dir, "pkcs1.pem", TestKeys.traditionalPem(rsa)))
                .getPublic()).isEqualTo(rsa.getPublic());
        // An RSASSA-PSS key is PKCS#8 too, under another identifier: not taken for an rsaEncryption key.
        KeyPairGenerator pss = KeyPairGenerator.getInstance("RSASSA-PSS");
        pss.initialize(2048);
        KeyPair pssKey = pss.generateKeyPair();
        KeyPair read = PemKeyReader.read(TestKeys.writeKeyFile(dir, "pss.pem", pem(pssKey.getPrivate().getEncoded())));
        assertThat(read.getPrivate().getAlgorithm()).isEqualTo("RSASSA-PSS");
    }

    @Test
    void refusalsKeepTheirMessages() {
        KeyPair rsa = TestKeys.rsa2048();
        String pem = TestKeys.pkcs8Pem(rsa);

        // Bouncy Castle finds no block whose marker does not start its line; neither does the JDK's reading.
        assertThatThrownBy(() -> PemKeyReader.read(TestKeys.writeKeyFile(dir, "indented.pem", "  " + pem)))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("indented.pem holds no PEM private key");

        assertThatThrownBy(() -> PemKeyReader.read(TestKeys.writeKeyFile(dir, "two.pem", pem + pem)))
                .isInstanceOf(KeyFileException.class)
                .hasMessageEndingWith("two.pem holds more than one private key; put each key in its own file");
        assertThatThrownBy(() -> PemKeyReader.read(TestKeys.writeKeyFile(dir, "enc.pem",
                pem.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"))))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("enc.pem is");
        // Valid base64 whose DER is cut short: the JDK refuses it, and the message is Bouncy Castle's, as before.
        byte[] der = rsa.getPrivate().getEncoded();
        byte[] cut = java.util.Arrays.copyOf(der, der.length / 2);
        assertThatThrownBy(() -> PemKeyReader.read(TestKeys.writeKeyFile(dir, "cut.pem", pem(cut))))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("cut.pem is not a readable PEM private key (");
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
