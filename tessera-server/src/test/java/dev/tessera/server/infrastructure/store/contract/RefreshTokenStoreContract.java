package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.RefreshTokenStore.Rotation;
import dev.tessera.server.application.port.RefreshTokenStore.StoredRefreshToken;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public interface RefreshTokenStoreContract extends StoreFixture {

    private RefreshTokenStore tokens() {
        return stores().refreshTokens();
    }

    private RefreshToken savedToken(GrantId grantId) {
        RefreshToken token = StoreSamples.refreshToken(grantId, clock().instant());
        tokens().save(token);
        return token;
    }

    private Rotation rotate(RefreshToken token) {
        Instant now = clock().instant();
        return tokens().rotate(token.hash(), StoreSamples.successorOf(token, now), now);
    }

    @Test
    default void savedTokenIsFoundActiveWithEveryField() {
        RefreshToken token = savedToken(GrantId.random());

        StoredRefreshToken stored = tokens().find(token.hash()).orElseThrow();

        assertThat(stored.token()).usingRecursiveComparison().isEqualTo(token);
        assertThat(stored.rotatedAt()).isNull();
        assertThat(stored.revokedAt()).isNull();
        assertThat(stored.isActive(clock().instant())).isTrue();
    }

    @Test
    default void theClaimsRequestOfTheGrantTravelsToEverySuccessor() {
        RefreshToken token = savedToken(GrantId.random());

        Rotation.Rotated first = (Rotation.Rotated) rotate(token);
        Rotation.Rotated second = (Rotation.Rotated) rotate(first.successor());

        assertThat(tokens().find(second.successor().hash()).orElseThrow().token().claimsRequest())
                .isEqualTo(StoreSamples.CLAIMS_REQUEST);
    }

    @Test
    default void aGrantWithoutAClaimsRequestStoresNone() {
        Instant now = clock().instant();
        RefreshToken plain = new RefreshToken(StoreSamples.newHash(), GrantId.random(), "client-a", "user-1",
                Scopes.of("openid"), null, null, List.of(), now, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)));
        tokens().save(plain);

        assertThat(tokens().find(plain.hash()).orElseThrow().token().claimsRequest()).isNull();
    }

    @Test
    default void rotateRetiresThePresentedTokenAndStoresItsSuccessor() {
        RefreshToken token = savedToken(GrantId.random());
        clock().advance(Duration.ofHours(1));

        Rotation result = rotate(token);

        assertThat(result).isInstanceOf(Rotation.Rotated.class);
        Rotation.Rotated rotated = (Rotation.Rotated) result;
        assertThat(rotated.successor().grantId()).isEqualTo(token.grantId());
        StoredRefreshToken retired = tokens().find(token.hash()).orElseThrow();
        assertThat(retired.rotatedAt()).isEqualTo(clock().instant());
        assertThat(retired.token()).usingRecursiveComparison().isEqualTo(token); // only its state changed
    }

    @Test
    default void replaceSuccessorRetiresTheUnusedSuccessorAndStoresTheReplacement() {
        RefreshToken token = savedToken(GrantId.random());
        Rotation.Rotated rotated = (Rotation.Rotated) rotate(token);
        clock().advance(Duration.ofSeconds(5));
        RefreshToken replacement = StoreSamples.successorOf(token, clock().instant());

        boolean replaced = tokens().replaceSuccessor(token.hash(), replacement, clock().instant());

        assertThat(replaced).isTrue();
        assertThat(tokens().find(rotated.successor().hash()).orElseThrow().isActive(clock().instant())).isFalse();
        assertThat(tokens().find(replacement.hash()).orElseThrow().isActive(clock().instant())).isTrue();
        // A second retry replaces the replacement, not the first successor again.
        RefreshToken again = StoreSamples.successorOf(token, clock().instant());
        assertThat(tokens().replaceSuccessor(token.hash(), again, clock().instant())).isTrue();
        assertThat(tokens().find(replacement.hash()).orElseThrow().isActive(clock().instant())).isFalse();
    }

    @Test
    default void aSuccessorReplacedByTheGraceIsReusedWhenPresentedAndCannotBeReplacedItself() {
        // Reused (not Revoked) is what makes the grant revoke the family: the replaced successor in other
        // hands is a theft signal, not a token that was merely cancelled.
        RefreshToken token = savedToken(GrantId.random());
        RefreshToken lost = ((Rotation.Rotated) rotate(token)).successor();
        tokens().replaceSuccessor(token.hash(), StoreSamples.successorOf(token, clock().instant()), clock().instant());

        assertThat(rotate(lost)).isInstanceOf(Rotation.Reused.class);
        assertThat(tokens().replaceSuccessor(lost.hash(), StoreSamples.successorOf(lost, clock().instant()),
                clock().instant())).isFalse();
    }

    @Test
    default void replaceSuccessorRefusesWhenTheSuccessorWasAlreadyUsed() {
        RefreshToken token = savedToken(GrantId.random());
        Rotation.Rotated first = (Rotation.Rotated) rotate(token);
        rotate(first.successor());
        RefreshToken replacement = StoreSamples.successorOf(token, clock().instant());

        assertThat(tokens().replaceSuccessor(token.hash(), replacement, clock().instant())).isFalse();
        assertThat(tokens().find(replacement.hash())).isEmpty();
    }

    // Durability across a crash is RefreshRotationCrashTest's job (a killed server process); this only
    // checks that the successor handed back is the one stored, and committed for other connections.
    @Test
    default void rotateStoresTheSuccessorItReturns() {
        RefreshToken token = savedToken(GrantId.random());

        Rotation.Rotated rotated = (Rotation.Rotated) rotate(token);

        StoredRefreshToken successor = tokens().find(rotated.successor().hash()).orElseThrow();
        assertThat(successor.token()).usingRecursiveComparison().isEqualTo(rotated.successor());
        assertThat(successor.isActive(clock().instant())).isTrue();
    }

    @Test
    default void sixteenConcurrentRotationsYieldOneWinner() throws Exception {
        RefreshToken token = savedToken(GrantId.random());

        List<Rotation> results = Concurrently.run(16, () -> rotate(token));

        assertThat(results).filteredOn(r -> r instanceof Rotation.Rotated).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof Rotation.Reused).hasSize(15);
        assertThat(familySize(token.grantId())).isEqualTo(2);
    }

    @Test
    default void reuseOfARotatedTokenReportsTheFamilyAndWhenItWasRotated() {
        RefreshToken token = savedToken(GrantId.random());
        Instant rotatedAt = clock().instant();
        rotate(token);
        clock().advance(Duration.ofMinutes(10));

        Rotation reuse = rotate(token);

        assertThat(reuse).isInstanceOf(Rotation.Reused.class);
        Rotation.Reused reused = (Rotation.Reused) reuse;
        assertThat(reused.token().grantId()).isEqualTo(token.grantId());
        assertThat(reused.rotatedAt()).isEqualTo(rotatedAt);
    }

    @Test
    default void revokeGrantRevokesEveryMemberOfTheFamily() {
        RefreshToken first = savedToken(GrantId.random());
        RefreshToken second = ((Rotation.Rotated) rotate(first)).successor();
        RefreshToken otherFamily = savedToken(GrantId.random());

        int active = tokens().revokeGrant(first.grantId(), clock().instant());

        assertThat(active).isEqualTo(1);
        assertThat(rotate(second)).isInstanceOf(Rotation.Revoked.class);
        assertThat(rotate(first)).isInstanceOf(Rotation.Revoked.class);
        assertThat(tokens().find(second.hash()).orElseThrow().revokedAt()).isEqualTo(clock().instant());
        assertThat(tokens().find(otherFamily.hash()).orElseThrow().isActive(clock().instant())).isTrue();
    }

    @Test
    default void revokeGrantOfAnUnknownGrantChangesNothing() {
        savedToken(GrantId.random());

        assertThat(tokens().revokeGrant(GrantId.random(), clock().instant())).isZero();
    }

    @Test
    default void tokenPastItsSlidingExpiryIsExpired() {
        RefreshToken token = savedToken(GrantId.random());
        clock().set(token.expiresAt());

        assertThat(rotate(token)).isInstanceOf(Rotation.Expired.class);
    }

    @Test
    default void tokenPastItsFamilyExpiryIsExpired() {
        Instant now = clock().instant();
        RefreshToken token = new RefreshToken(StoreSamples.newHash(), GrantId.random(), "client-a", "user-1",
                dev.tessera.server.domain.scope.Scopes.of("openid"), null, null, List.of(), now,
                now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(1)));
        tokens().save(token);
        clock().advance(Duration.ofDays(2));

        assertThat(rotate(token)).isInstanceOf(Rotation.Expired.class);
    }

    @Test
    default void unknownTokenIsUnknown() {
        RefreshToken someSuccessor = StoreSamples.refreshToken(GrantId.random(), clock().instant());
        assertThat(tokens().rotate(TokenHash.of("tsr_rt_never-issued"), someSuccessor, clock().instant()))
                .isInstanceOf(Rotation.Unknown.class);
        assertThat(tokens().find(TokenHash.of("tsr_rt_never-issued"))).isEmpty();
    }

    @Test
    default void aSuccessorOfAnotherFamilyIsRefusedAndThePresentedTokenStaysActive() {
        RefreshToken token = savedToken(GrantId.random());
        RefreshToken stranger = StoreSamples.successorOf(savedToken(GrantId.random()), clock().instant());

        assertThatThrownBy(() -> tokens().rotate(token.hash(), stranger, clock().instant()))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(tokens().find(stranger.hash())).isEmpty();
        assertThat(tokens().find(token.hash()).orElseThrow().isActive(clock().instant())).isTrue();
        assertThat(rotate(token)).isInstanceOf(Rotation.Rotated.class);
    }

    @Test
    default void aRefusedRotationStoresNoSuccessor() throws Exception {
        RefreshToken token = savedToken(GrantId.random());
        rotate(token);
        RefreshToken second = StoreSamples.successorOf(token, clock().instant());

        assertThat(tokens().rotate(token.hash(), second, clock().instant())).isInstanceOf(Rotation.Reused.class);
        assertThat(tokens().find(second.hash())).isEmpty();
        assertThat(familySize(token.grantId())).isEqualTo(2);
    }

    private IssuedAccessToken accessTokenOf(RefreshToken successor) {
        return accessTokenOf(successor, UUID.randomUUID().toString());
    }

    private IssuedAccessToken accessTokenOf(RefreshToken successor, String jti) {
        Instant now = clock().instant();
        return new IssuedAccessToken(jti, successor.grantId(), successor.clientId(), successor.userId(), null, null,
                now, now.plus(Duration.ofMinutes(5)), successor.claimsRequest());
    }

    @Test
    default void aRotationRecordsTheAccessTokenOfItsResponse() {
        RefreshToken token = savedToken(GrantId.random());
        RefreshToken successor = StoreSamples.successorOf(token, clock().instant());
        IssuedAccessToken accessToken = accessTokenOf(successor);

        assertThat(tokens().rotate(token.hash(), successor, clock().instant(), accessToken))
                .isInstanceOf(Rotation.Rotated.class);

        assertThat(stores().accessTokens().find(accessToken.jti())).hasValue(accessToken);
        assertThat(stores().accessTokens().isRevoked(accessToken.jti())).isFalse();
        assertThat(tokens().find(successor.hash()).orElseThrow().isActive(clock().instant())).isTrue();
    }

    @Test
    default void aRefusedRotationRecordsNoAccessToken() {
        RefreshToken token = savedToken(GrantId.random());
        rotate(token);
        RefreshToken second = StoreSamples.successorOf(token, clock().instant());
        IssuedAccessToken accessToken = accessTokenOf(second);

        assertThat(tokens().rotate(token.hash(), second, clock().instant(), accessToken))
                .isInstanceOf(Rotation.Reused.class);

        assertThat(stores().accessTokens().find(accessToken.jti())).isEmpty();
        assertThat(tokens().find(second.hash())).isEmpty();
    }

    @Test
    default void anAccessTokenRevokedBeforeTheRotationRecordedItStaysRevoked() {
        // A revocation that arrives first leaves a placeholder row; the rotation fills it in instead of failing.
        RefreshToken token = savedToken(GrantId.random());
        RefreshToken successor = StoreSamples.successorOf(token, clock().instant());
        IssuedAccessToken accessToken = accessTokenOf(successor);
        stores().accessTokens().revoke(accessToken.jti(), accessToken.expiresAt(), clock().instant());

        assertThat(tokens().rotate(token.hash(), successor, clock().instant(), accessToken))
                .isInstanceOf(Rotation.Rotated.class);

        assertThat(stores().accessTokens().find(accessToken.jti())).hasValue(accessToken);
        assertThat(stores().accessTokens().isRevoked(accessToken.jti())).isTrue();
    }

    @Test
    default void aRotationWhoseLastWriteFailsLeavesNothingHalfDone() throws Exception {
        // The access token is the rotation's last write; a jti longer than its column makes the database refuse it.
        RefreshToken token = savedToken(GrantId.random());
        RefreshToken successor = StoreSamples.successorOf(token, clock().instant());
        IssuedAccessToken unstorable = accessTokenOf(successor, "j".repeat(300));

        assertThatThrownBy(() -> tokens().rotate(token.hash(), successor, clock().instant(), unstorable))
                .isInstanceOf(RuntimeException.class);

        assertThat(tokens().find(token.hash()).orElseThrow().isActive(clock().instant())).isTrue();
        assertThat(tokens().find(successor.hash())).isEmpty();
        assertThat(familySize(token.grantId())).isEqualTo(1);
        // The client's retry (a new response, so a new successor) rotates normally, and only once.
        RefreshToken retried = StoreSamples.successorOf(token, clock().instant());
        IssuedAccessToken accessToken = accessTokenOf(retried);
        assertThat(tokens().rotate(token.hash(), retried, clock().instant(), accessToken))
                .isInstanceOf(Rotation.Rotated.class);
        assertThat(stores().accessTokens().find(accessToken.jti())).isPresent();
        assertThat(rotate(token)).isInstanceOf(Rotation.Reused.class);
    }

    @Test
    default void sixteenConcurrentRotationsWithAccessTokensStoreOneSuccessorAndOneAccessToken() throws Exception {
        RefreshToken token = savedToken(GrantId.random());

        List<IssuedAccessToken> offered = new CopyOnWriteArrayList<>();
        List<Rotation> results = Concurrently.run(16, () -> {
            RefreshToken successor = StoreSamples.successorOf(token, clock().instant());
            IssuedAccessToken accessToken = accessTokenOf(successor);
            offered.add(accessToken);
            return tokens().rotate(token.hash(), successor, clock().instant(), accessToken);
        });

        assertThat(results).filteredOn(r -> r instanceof Rotation.Rotated).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof Rotation.Reused).hasSize(15);
        assertThat(familySize(token.grantId())).isEqualTo(2);
        assertThat(offered).filteredOn(a -> stores().accessTokens().find(a.jti()).isPresent()).hasSize(1);
    }

    private int familySize(GrantId grantId) throws Exception {
        try (Connection c = dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM refresh_tokens WHERE grant_id = ?")) {
            s.setString(1, grantId.value());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    default void revokeUserRevokesEveryFamilyOfThatUserAndNamesTheirGrants() {
        GrantId first = GrantId.random();
        GrantId second = GrantId.random();
        RefreshToken rotatedAway = savedToken(first);
        rotate(rotatedAway);
        RefreshToken active = savedToken(second);
        RefreshToken someoneElses = new RefreshToken(StoreSamples.newHash(), GrantId.random(), "client-a", "user-2",
                active.scopes(), active.authentication(), "sid-2", active.resources(), active.issuedAt(),
                active.expiresAt(), active.familyExpiresAt());
        tokens().save(someoneElses);

        assertThat(tokens().revokeUser("user-1", clock().instant())).containsExactlyInAnyOrder(first, second);

        assertThat(tokens().find(active.hash()).orElseThrow().revokedAt()).isEqualTo(clock().instant());
        assertThat(rotate(active)).isInstanceOf(Rotation.Revoked.class);
        assertThat(tokens().find(someoneElses.hash()).orElseThrow().isActive(clock().instant())).isTrue();
        assertThat(tokens().revokeUser("user-1", clock().instant())).isEmpty();
    }
}
