package dev.tessera.server.infrastructure.crypto;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class Argon2idPasswordHasherTest {
    // Made with the reference C implementation (libargon2 argon2id_hash_encoded, t=2, m=19456, p=1,
    // 32-byte output), so this proves interoperability with hashes from other tools, UTF-8 included.
    private static final String REFERENCE_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$dGVzc2VyYS1maXhlZC1zYWx0$vAqY8HRoWAOYtSXQFUdFRKocss19mh/0+hfib/8WZ1s";
    private static final char[] REFERENCE_PASSWORD = "correct horse battery staple \u2713".toCharArray();

    private static Argon2idPasswordHasher hasher;
    private static String aliceHash;

    @BeforeAll
    static void hashOnce() {
        hasher = new Argon2idPasswordHasher();
        aliceHash = hasher.hash("alice-password".toCharArray());
    }

    @Test
    void hashIsAPhcStringWithOwaspParameters() {
        assertThat(aliceHash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void correctPasswordVerifies() {
        assertThat(hasher.verify("alice-password".toCharArray(), aliceHash)).isTrue();
    }

    @Test
    void wrongPasswordDoesNotVerify() {
        assertThat(hasher.verify("alice-passwore".toCharArray(), aliceHash)).isFalse();
        assertThat(hasher.verify(new char[0], aliceHash)).isFalse();
    }

    @Test
    void samePasswordHashesDifferentlyEachTimeBecauseOfTheRandomSalt() {
        String again = hasher.hash("alice-password".toCharArray());

        assertThat(again).isNotEqualTo(aliceHash);
        assertThat(salt(again)).isNotEqualTo(salt(aliceHash));
        assertThat(Base64.getDecoder().decode(salt(again))).hasSize(16);
    }

    @Test
    void hashFromTheReferenceImplementationVerifies() {
        assertThat(hasher.verify(REFERENCE_PASSWORD, REFERENCE_HASH)).isTrue();
        assertThat(hasher.verify("correct horse battery staple".toCharArray(), REFERENCE_HASH)).isFalse();
    }

    @Test
    void tamperedHashDoesNotVerify() {
        String tampered = REFERENCE_HASH.replace("$vAqY8", "$vAqY9");

        assertThat(hasher.verify(REFERENCE_PASSWORD, tampered)).isFalse();
    }

    @Test
    void nonCanonicalBase64IsRejected() {
        // 's' and 't' differ only in the unused low bits of the last character: same bytes, other text.
        String nonCanonical = REFERENCE_HASH.substring(0, REFERENCE_HASH.length() - 1) + "t";

        assertThat(hasher.verify(REFERENCE_PASSWORD, nonCanonical)).isFalse();
    }

    @Test
    void changedParametersInTheStoredStringDoNotVerify() {
        assertThat(hasher.verify(REFERENCE_PASSWORD, REFERENCE_HASH.replace("t=2", "t=3"))).isFalse();
    }

    @Test
    void malformedHashesAreRejectedWithoutThrowing() {
        String[] malformed = {
                null, "", "plaintext-password", "$argon2i$v=19$m=19456,t=2,p=1$dGVzc2VyYS1maXhlZC1zYWx0$"
                        + "vAqY8HRoWAOYtSXQFUdFRKocss19mh/0+hfib/8WZ1s",
                "$argon2id$v=16$m=19456,t=2,p=1$dGVzc2VyYS1maXhlZC1zYWx0$vAqY8HRoWAOYtSXQFUdFRKocss19mh/0+hfib/8WZ1s",
                "$argon2id$v=19$m=19456,t=2,p=1$dGVzc2VyYS1maXhlZC1zYWx0",
                "$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!!!!!!!!!!!$vAqY8HRoWAOYtSXQFUdFRKocss19mh/0+hfib/8WZ1s",
                "$argon2id$v=19$m=19456,t=2,p=1$dGVzc2VyYS1maXhlZC1zYWx0x$vAqY8HRoWAOYtSXQFUdFRKocss19mh/0+hfib/8WZ1s",
                "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        };
        for (String hash : malformed) {
            assertThatCode(() -> assertThat(hasher.verify(REFERENCE_PASSWORD, hash)).as(String.valueOf(hash)).isFalse())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void storedHashAskingForExcessiveCostIsRejectedInsteadOfComputed() {
        String hugeMemory = REFERENCE_HASH.replace("m=19456", "m=4194304");
        String manyPasses = REFERENCE_HASH.replace("t=2", "t=99");
        String zeroLanes = REFERENCE_HASH.replace("p=1", "p=0");

        assertThat(hasher.verify(REFERENCE_PASSWORD, hugeMemory)).isFalse();
        assertThat(hasher.verify(REFERENCE_PASSWORD, manyPasses)).isFalse();
        assertThat(hasher.verify(REFERENCE_PASSWORD, zeroLanes)).isFalse();
    }

    @Test
    void nullPasswordDoesNotVerify() {
        assertThat(hasher.verify(null, aliceHash)).isFalse();
    }

    @Test
    void burnEquivalentTimeAcceptsAnyPasswordWithoutThrowing() {
        assertThatCode(() -> {
            hasher.burnEquivalentTime("whatever".toCharArray());
            hasher.burnEquivalentTime(new char[0]);
            hasher.burnEquivalentTime(null);
        }).doesNotThrowAnyException();
    }

    @Test
    void burnEquivalentTimeVerifiesAgainstAHashWithOurParametersSoItCostsWhatARealCheckCosts() {
        String dummy = hasher.dummyHash();
        String real = hasher.hash("correct horse".toCharArray());

        // same algorithm, version, memory, passes and lanes, so the same derivation work; a hash that did not
        // parse would make burnEquivalentTime return at once and tell unknown users apart by timing
        assertThat(dummy.substring(0, dummy.lastIndexOf('$', dummy.lastIndexOf('$') - 1)))
                .isEqualTo(real.substring(0, real.lastIndexOf('$', real.lastIndexOf('$') - 1)));
        assertThat(dummy).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse".toCharArray(), dummy)).isFalse();
        assertThat(new Argon2idPasswordHasher().dummyHash()).isNotEqualTo(dummy);
    }

    private static String salt(String phc) {
        return phc.split("\\$")[4];
    }
}
