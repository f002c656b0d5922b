package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyDirectoryTest {
    private static final Instant MODIFIED = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void loadsAPkcs8RsaKeyAsRs256ActiveFromTheFileModificationTime() throws Exception {
        Path file = TestKeys.writeKeyFile(dir, "a.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED.plusMillis(750)));

        SigningKey key = onlyKey();

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.activatesAt()).isEqualTo(MODIFIED); // whole seconds, so every instance agrees
        assertThat(key.kid()).isEqualTo(thumbprint(new RSAKey.Builder((RSAPublicKey) TestKeys.rsa2048().getPublic()).build()));
    }

    @Test
    void loadsAPkcs1RsaKeyWithTheSameKidAsItsPkcs8Form() throws Exception {
        String pem = TestKeys.traditionalPem(TestKeys.rsa2048());
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        TestKeys.writeKeyFile(dir, "pkcs1.pem", pem);

        SigningKey key = onlyKey();

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.kid()).isEqualTo(thumbprint(new RSAKey.Builder((RSAPublicKey) TestKeys.rsa2048().getPublic()).build()));
        assertThat(((RSAKey) key.privateJwk()).toRSAPrivateKey().getPrivateExponent())
                .isEqualTo(((java.security.interfaces.RSAPrivateKey) TestKeys.rsa2048().getPrivate()).getPrivateExponent());
    }

    @Test
    void loadsAPkcs8EcKeyAsEs256() throws Exception {
        TestKeys.writeKeyFile(dir, "ec.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()));

        SigningKey key = onlyKey();

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(key.kid()).isEqualTo(thumbprint(new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                (ECPublicKey) TestKeys.ecP256().getPublic()).build()));
    }

    @Test
    void loadsAnOpensslStyleEcPrivateKeyAfterItsEcParametersBlock() throws Exception {
        String pem = TestKeys.opensslEcPem(TestKeys.ecP256());
        assertThat(pem).contains("-----BEGIN EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----");
        TestKeys.writeKeyFile(dir, "openssl.key", pem);

        SigningKey key = onlyKey();

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(key.kid()).isEqualTo(thumbprint(new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
                (ECPublicKey) TestKeys.ecP256().getPublic()).build()));
    }

    @Test
    void refusesAWorldReadableKeyFileNamingTheFileAndTheFix() {
        Path file = TestKeys.writeFile(dir, "open.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()), "rw-r--r--");

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("chmod 600");
    }

    @Test
    void acceptsAGroupReadableKeyFile() {
        TestKeys.writeFile(dir, "group.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()), "rw-r-----");

        assertThat(new KeyDirectory(dir).loadRing().published()).hasSize(1);
    }

    @Test
    void refusesAGarbageFileWithAClearMessageThatDoesNotEchoItsContent() {
        TestKeys.writeKeyFile(dir, "garbage.pem", "this is not a key: s3cr3t-material-do-not-print");

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("garbage.pem")
                .hasMessageContaining("holds no PEM private key")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void refusesAPemBlockWithBrokenContentWithoutPrintingIt() {
        TestKeys.writeKeyFile(dir, "broken.pem", "-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("broken.pem")
                .hasMessageNotContaining("MIIBVgIBADANBgkqhkiG9w0BAQEFAASC");
    }

    @Test
    void refusesAFileThatHoldsOnlyAPublicKey() {
        TestKeys.writeKeyFile(dir, "public.pem", TestKeys.publicKeyPem(TestKeys.rsa2048()));

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .hasMessageContaining("public.pem holds a public key");
    }

    @Test
    void refusesRsaKeysBelow2048Bits() {
        TestKeys.writeKeyFile(dir, "weak.pem", TestKeys.pkcs8Pem(TestKeys.weakRsa1024()));

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("weak.pem")
                .hasMessageContaining("1024 bits; at least 2048");
    }

    @Test
    void oneBadFileFailsTheWholeLoadAndEveryProblemIsListed() {
        TestKeys.writeKeyFile(dir, "good.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeKeyFile(dir, "bad1.pem", "nope");
        TestKeys.writeFile(dir, "bad2.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()), "rw-rw-rw-");

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .hasMessageContaining("bad1.pem").hasMessageContaining("bad2.pem").hasMessageNotContaining("good.pem");
    }

    @Test
    void sidecarSetsTheAlgorithmAndALaterActivationSoTheKeyIsPublishedButNotActive() {
        TestKeys.writeKeyFile(dir, "old.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeKeyFile(dir, "next.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048Second()));
        TestKeys.writeFile(dir, "next.json", "{\"alg\":\"PS256\",\"activatesAt\":\"2999-01-01T00:00:00Z\"}", "rw-r--r--");
        TestKeys.writeFile(dir, "old.json", "{\"alg\":\"PS256\",\"activatesAt\":\"2020-01-01T00:00:00Z\"}", "rw-r--r--");

        KeyRing ring = new KeyDirectory(dir).loadRing();
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        assertThat(ring.published()).hasSize(2).allMatch(k -> k.algorithm().equals(JWSAlgorithm.PS256));
        SigningKey next = ring.published().stream().filter(k -> k.activatesAt().getEpochSecond() > now.getEpochSecond()).findFirst().orElseThrow();
        assertThat(ring.active(JWSAlgorithm.PS256, now)).get().isNotEqualTo(next);
        assertThat(ring.active(JWSAlgorithm.PS256, Instant.parse("2999-01-01T00:00:00Z"))).contains(next);
        assertThat(ring.publicKeys()).extracting(JWK::getKeyID).contains(next.kid());
    }

    @Test
    void sidecarWithAnUnknownMemberIsRefusedSoATypoCannotActivateAKeyEarly() {
        TestKeys.writeKeyFile(dir, "k.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeFile(dir, "k.json", "{\"activateAt\":\"2999-01-01T00:00:00Z\"}", "rw-r--r--");

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .hasMessageContaining("k.json").hasMessageContaining("unknown member 'activateAt'");
    }

    @Test
    void sidecarCannotAskForNoneOrHmac() {
        TestKeys.writeKeyFile(dir, "k.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        for (String alg : List.of("none", "HS256", "RS512")) {
            TestKeys.writeFile(dir, "k.json", "{\"alg\":\"" + alg + "\"}", "rw-r--r--");
            assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                    .hasMessageContaining("must be RS256, PS256 or ES256");
        }
    }

    @Test
    void sidecarAlgorithmMustFitTheKeyType() {
        TestKeys.writeKeyFile(dir, "k.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeFile(dir, "k.json", "{\"alg\":\"ES256\"}", "rw-r--r--");

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .hasMessageContaining("k.pem").hasMessageContaining("RSA key cannot sign ES256");
    }

    @Test
    void sidecarWithABadInstantIsRefused() {
        TestKeys.writeKeyFile(dir, "k.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeFile(dir, "k.json", "{\"activatesAt\":\"tomorrow\"}", "rw-r--r--");

        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing()).hasMessageContaining("ISO-8601 instant");
    }

    @Test
    void keysUnderRetiredAreNotPublished() {
        TestKeys.writeKeyFile(dir, "current.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeKeyFile(dir.resolve(KeyDirectory.RETIRED), "old.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048Second()));

        KeyDirectory directory = new KeyDirectory(dir);

        assertThat(directory.loadRing().published()).hasSize(1);
        String retiredKid = directory.loadRetired().get(0).key().kid();
        assertThat(directory.loadRing().byKid(retiredKid)).isEmpty();
        assertThat(directory.loadRing().publicJwks().getKeyByKeyId(retiredKid)).isNull();
    }

    @Test
    void hiddenAndNonKeyFilesAreIgnored() {
        TestKeys.writeKeyFile(dir, "k.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeFile(dir, "README.txt", "keys live here", "rw-r--r--");
        TestKeys.writeKeyFile(dir, ".k2.pem.tmp", "half written");
        TestKeys.writeKeyFile(dir, ".hidden.pem", "half written");

        assertThat(new KeyDirectory(dir).loadRing().published()).hasSize(1);
    }

    @Test
    void theJwksHasPublicPartsOnlyWithKidAlgAndUse() {
        TestKeys.writeKeyFile(dir, "rsa.pem", TestKeys.pkcs8Pem(TestKeys.rsa2048()));
        TestKeys.writeKeyFile(dir, "ec.pem", TestKeys.pkcs8Pem(TestKeys.ecP256()));

        Map<String, Object> jwks = new KeyDirectory(dir).loadRing().publicJwks().toJSONObject(false);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
        assertThat(keys).hasSize(2).allSatisfy(key -> {
            assertThat(key).containsKeys("kid", "kty", "alg", "use").containsEntry("use", "sig");
            assertThat(key).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "oth", "k");
        });
        assertThat(new KeyDirectory(dir).loadRing().publicJwks().toString()).doesNotContain("\"d\"");
    }

    @Test
    void anEmptyOrMissingDirectoryIsRefusedWithTheCommandThatFixesIt() {
        assertThatThrownBy(() -> new KeyDirectory(dir).loadRing())
                .hasMessageContaining("holds no key file").hasMessageContaining("tessera keys generate");
        assertThatThrownBy(() -> new KeyDirectory(dir.resolve("missing")).loadRing())
                .hasMessageContaining("does not exist");
    }

    private SigningKey onlyKey() {
        List<SigningKey> keys = new KeyDirectory(dir).loadRing().published();
        assertThat(keys).hasSize(1);
        return keys.get(0);
    }

    private static String thumbprint(JWK publicJwk) throws Exception {
        Base64URL thumbprint = publicJwk.computeThumbprint("SHA-256");
        return thumbprint.toString();
    }

}
