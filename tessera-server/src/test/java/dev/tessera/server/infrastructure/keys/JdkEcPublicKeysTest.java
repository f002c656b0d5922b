package dev.tessera.server.infrastructure.keys;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDK's derivation of an EC public key from the private one: the right point, or nothing. */
class JdkEcPublicKeysTest {

    @Test
    void derivesThePublicKeyThatVerifiesThePrivateKeysSignatures() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < 10; i++) {
            KeyPair pair = generator.generateKeyPair();
            PublicKey derived = JdkEcPublicKeys.derive((ECPrivateKey) pair.getPrivate());
            assertThat(derived).isEqualTo(pair.getPublic());
            assertThat(verifies(pair.getPrivate(), derived)).isTrue();
        }
    }

    @Test
    void worksOnTheCorrettoProvidersKeyObjects() throws Exception {
        // At start-up the key files are read after the Corretto provider is installed, so the private key is its object.
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        org.junit.jupiter.api.Assumptions.assumeTrue(accp.getLoadingError() == null, "the Corretto provider loads here");
        KeyPair pair = TestKeys.ecP256();
        PrivateKey corretto = KeyFactory.getInstance("EC", accp)
                .generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()));

        PublicKey derived = JdkEcPublicKeys.derive((ECPrivateKey) corretto);

        assertThat(derived.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void givesNothingForAScalarOutsideTheCurvesRange() throws Exception {
        ECParameterSpec p256 = ((ECPrivateKey) TestKeys.ecP256().getPrivate()).getParams();
        KeyFactory sunEc = KeyFactory.getInstance("EC", "SunEC");
        for (BigInteger outside : new BigInteger[] {BigInteger.ZERO, p256.getOrder(), p256.getOrder().add(BigInteger.ONE)}) {
            assertThat(JdkEcPublicKeys.derive((ECPrivateKey) sunEc.generatePrivate(new ECPrivateKeySpec(outside, p256))))
                    .as("d = %s", outside).isNull();
        }
    }

    private static boolean verifies(PrivateKey privateKey, PublicKey publicKey) throws Exception {
        byte[] message = "tessera".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signature);
    }
}
