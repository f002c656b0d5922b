package dev.tessera.server.infrastructure.store.contract;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.SigningKeyStore;
import dev.tessera.server.application.port.SigningKeyStore.KeyInfo;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey.SealedKeyException;
import dev.tessera.server.infrastructure.store.StoreFixture;
import dev.tessera.server.infrastructure.store.jdbc.JdbcSigningKeyStore;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code keys.source: store}: sealed keys, the rotation lock and the rewrap, on every backend. */
public interface SigningKeyStoreContract extends StoreFixture {
    /** The key ring over this backend's database, sealed under {@code kek}. */
    JdbcSigningKeyStore signingKeyStore(KeyEncryptionKey kek);

    private static KeyEncryptionKey randomKek() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new KeyEncryptionKey(bytes, "keys.encryptionKey");
    }

    private SigningKey rsaKey(Instant activatesAt) {
        return SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, activatesAt);
    }

    private SigningKey ecKey(Instant activatesAt) {
        return SigningKey.fromKeyPair(TestKeys.ecP256(), JWSAlgorithm.ES256, activatesAt);
    }

    private String sealedColumn(String kid) throws SQLException {
        try (Connection c = dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT sealed_private_jwk FROM signing_keys WHERE kid = ?")) {
            s.setString(1, kid);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private void setSealedColumn(String kid, String sealed) throws SQLException {
        try (Connection c = dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE signing_keys SET sealed_private_jwk = ? WHERE kid = ?")) {
            s.setString(1, sealed);
            s.setString(2, kid);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    default void anAddedKeyOpensUnderTheSameKeyEncryptionKeyAndIsPublished() {
        JdbcSigningKeyStore store = signingKeyStore(randomKek());
        Instant now = clock().instant();
        SigningKey rsa = rsaKey(now);
        SigningKey ec = ecKey(now.plus(Duration.ofDays(1)));

        store.add(rsa, now);
        store.add(ec, now);

        List<SigningKey> published = store.published();
        assertThat(published).extracting(SigningKey::kid).containsExactly(rsa.kid(), ec.kid());
        assertThat(published.get(0).privateJwk()).isEqualTo(rsa.privateJwk());
        assertThat(published.get(1).activatesAt()).isEqualTo(ec.activatesAt());
        assertThat(store.list()).extracting(KeyInfo::kid, KeyInfo::algorithm, KeyInfo::retired)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(rsa.kid(), JWSAlgorithm.RS256, false),
                        org.assertj.core.groups.Tuple.tuple(ec.kid(), JWSAlgorithm.ES256, false));
    }

    @Test
    default void theDatabaseHoldsNoPlaintextPrivateKey() throws SQLException {
        JdbcSigningKeyStore store = signingKeyStore(randomKek());
        SigningKey rsa = rsaKey(clock().instant());
        store.add(rsa, clock().instant());

        String sealed = sealedColumn(rsa.kid());

        assertThat(sealed).startsWith("v1.").doesNotContain("\"d\"");
        String privateExponent = ((com.nimbusds.jose.jwk.RSAKey) rsa.privateJwk()).getPrivateExponent().toString();
        assertThat(sealed).doesNotContain(privateExponent);
    }

    @Test
    default void aWrongKeyEncryptionKeyIsToldByTheTagAndNamesTheSettingAndTheKid() {
        SigningKey rsa = rsaKey(clock().instant());
        signingKeyStore(randomKek()).add(rsa, clock().instant());

        assertThatThrownBy(() -> signingKeyStore(randomKek()).published())
                .isInstanceOf(SealedKeyException.class)
                .hasMessageContaining("keys.encryptionKey does not open signing key " + rsa.kid())
                .hasMessageContaining("tag does not verify");
    }

    @Test
    default void aSealedKeyCopiedIntoAnotherRowDoesNotOpen() throws SQLException {
        JdbcSigningKeyStore store = signingKeyStore(randomKek());
        SigningKey first = rsaKey(clock().instant());
        SigningKey second = SigningKey.fromKeyPair(TestKeys.rsa2048Second(), JWSAlgorithm.RS256, clock().instant());
        store.add(first, clock().instant());
        store.add(second, clock().instant());

        setSealedColumn(second.kid(), sealedColumn(first.kid()));

        assertThatThrownBy(store::published).isInstanceOf(SealedKeyException.class)
                .hasMessageContaining(second.kid());
    }

    @Test
    default void retiringUnpublishesTheKeyAndErasesItsPrivateHalf() throws SQLException {
        JdbcSigningKeyStore store = signingKeyStore(randomKek());
        SigningKey rsa = rsaKey(clock().instant());
        store.add(rsa, clock().instant());

        assertThat(store.retire(rsa.kid(), clock().instant())).isTrue();
        assertThat(store.retire(rsa.kid(), clock().instant())).as("already retired").isFalse();

        assertThat(store.published()).isEmpty();
        assertThat(store.list()).singleElement().satisfies(k -> assertThat(k.retiredAt()).isEqualTo(clock().instant()));
        assertThat(sealedColumn(rsa.kid())).isNull();
    }

    @Test
    default void anActivationIsAnnouncedOnce() {
        JdbcSigningKeyStore store = signingKeyStore(randomKek());
        SigningKey rsa = rsaKey(clock().instant());
        store.add(rsa, clock().instant());

        assertThat(store.markActivated(rsa.kid(), clock().instant())).isTrue();
        assertThat(store.markActivated(rsa.kid(), clock().instant())).isFalse();
    }

    @Test
    default void rewrapMovesEveryKeyToTheNewKeyEncryptionKey() {
        KeyEncryptionKey old = randomKek();
        KeyEncryptionKey next = randomKek();
        JdbcSigningKeyStore store = signingKeyStore(old);
        store.add(rsaKey(clock().instant()), clock().instant());
        store.add(ecKey(clock().instant()), clock().instant());

        assertThat(store.rewrap(next)).isEqualTo(2);

        assertThat(signingKeyStore(next).published()).hasSize(2);
        assertThatThrownBy(store::published).isInstanceOf(SealedKeyException.class);
    }

    @Test
    default void rewrapChangesNothingWhenOneKeyDoesNotOpen() throws SQLException {
        KeyEncryptionKey old = randomKek();
        JdbcSigningKeyStore store = signingKeyStore(old);
        SigningKey rsa = rsaKey(clock().instant());
        SigningKey ec = ecKey(clock().instant());
        store.add(rsa, clock().instant());
        String rsaSealed = sealedColumn(rsa.kid());
        signingKeyStore(randomKek()).add(ec, clock().instant()); // sealed under some other key

        assertThatThrownBy(() -> store.rewrap(randomKek())).isInstanceOf(SealedKeyException.class)
                .hasMessageContaining(ec.kid());

        assertThat(sealedColumn(rsa.kid())).as("rolled back").isEqualTo(rsaSealed);
    }

    @Test
    default void sixteenInstancesRacingForTheRotationLockHaveOneWinner() throws Exception {
        JdbcSigningKeyStore store = signingKeyStore(randomKek());
        AtomicInteger next = new AtomicInteger();

        List<Boolean> won = Concurrently.run(16, () ->
                store.tryLock("instance-" + next.incrementAndGet(), clock().instant(), Duration.ofMinutes(10)));

        assertThat(won).filteredOn(w -> w).hasSize(1);
    }

    @Test
    default void theRotationLockIsFreedByUnlockOrWhenTheLeaseEnds() {
        SigningKeyStore store = signingKeyStore(randomKek());
        Instant now = clock().instant();

        assertThat(store.tryLock("a", now, Duration.ofMinutes(10))).isTrue();
        assertThat(store.tryLock("b", now.plus(Duration.ofMinutes(9)), Duration.ofMinutes(10))).isFalse();
        assertThat(store.tryLock("b", now.plus(Duration.ofMinutes(10)), Duration.ofMinutes(10)))
                .as("a died; its lease ended").isTrue();
        store.unlock("a");
        assertThat(store.tryLock("c", now.plus(Duration.ofMinutes(11)), Duration.ofMinutes(10)))
                .as("only the holder unlocks").isFalse();
        store.unlock("b");
        assertThat(store.tryLock("c", now.plus(Duration.ofMinutes(11)), Duration.ofMinutes(10))).isTrue();
    }
}
