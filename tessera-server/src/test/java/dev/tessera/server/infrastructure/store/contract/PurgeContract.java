package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.port.AuthorizationCodeStore.Redemption;
import dev.tessera.server.application.port.RefreshTokenStore.Rotation;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** purgeExpired removes only rows that can no longer matter, and never one that is still valid. */
public interface PurgeContract extends StoreFixture {

    @Test
    default void purgeKeepsUsedCodesUntilTheyExpireSoReplaysAreStillRecognised() {
        AuthorizationCode used = StoreSamples.code(StoreSamples.newHash(), GrantId.random(), clock().instant(),
                Duration.ofSeconds(60));
        AuthorizationCode unused = StoreSamples.code(StoreSamples.newHash(), GrantId.random(), clock().instant(),
                Duration.ofSeconds(600));
        stores().codes().save(used);
        stores().codes().save(unused);
        stores().codes().redeem(used.hash(), clock().instant());
        clock().advance(Duration.ofSeconds(30));

        assertThat(stores().codes().purgeExpired(clock().instant())).isZero();
        assertThat(stores().codes().redeem(used.hash(), clock().instant())).isInstanceOf(Redemption.Replayed.class);

        clock().advance(Duration.ofSeconds(30)); // the used code's expiry
        assertThat(stores().codes().purgeExpired(clock().instant())).isEqualTo(1);
        assertThat(stores().codes().redeem(unused.hash(), clock().instant())).isInstanceOf(Redemption.Redeemed.class);
    }

    @Test
    default void purgeKeepsRotatedRefreshTokensUntilTheFamilyExpiresSoReuseIsStillDetected() {
        RefreshToken first = StoreSamples.refreshToken(GrantId.random(), clock().instant());
        stores().refreshTokens().save(first);
        Instant now = clock().instant();
        RefreshToken second = ((Rotation.Rotated) stores().refreshTokens()
                .rotate(first.hash(), StoreSamples.successorOf(first, now), now)).successor();
        clock().set(first.expiresAt().plusSeconds(1)); // past both members' own (sliding) expiry

        // Only the expired successor goes: it was never rotated, so nothing can reuse it.
        assertThat(stores().refreshTokens().purgeExpired(clock().instant())).isEqualTo(1);
        assertThat(stores().refreshTokens().find(second.hash())).isEmpty();
        assertThat(stores().refreshTokens().find(first.hash())).isPresent();
        assertThat(stores().refreshTokens().rotate(first.hash(), StoreSamples.successorOf(first, clock().instant()), clock().instant()))
                .isInstanceOf(Rotation.Reused.class);

        clock().set(first.familyExpiresAt());
        assertThat(stores().refreshTokens().purgeExpired(clock().instant())).isEqualTo(1);
        assertThat(stores().refreshTokens().find(first.hash())).isEmpty();
    }

    @Test
    default void purgeRemovesAnExpiredActiveRefreshTokenButNotALiveOne() {
        RefreshToken expiring = StoreSamples.refreshToken(GrantId.random(), clock().instant());
        stores().refreshTokens().save(expiring);
        clock().set(expiring.expiresAt().minusSeconds(1));
        RefreshToken live = StoreSamples.refreshToken(GrantId.random(), clock().instant());
        stores().refreshTokens().save(live);
        clock().set(expiring.expiresAt());

        assertThat(stores().refreshTokens().purgeExpired(clock().instant())).isEqualTo(1);
        assertThat(stores().refreshTokens().find(live.hash())).isPresent();
    }

    @Test
    default void purgeRemovesOnlyExpiredAccessTokensSessionsJtisAndWindows() {
        Instant now = clock().instant();
        stores().accessTokens().record(new IssuedAccessToken("jti-short", null, "c", "s", null, null, now, now.plusSeconds(60)));
        stores().accessTokens().record(new IssuedAccessToken("jti-long", null, "c", "s", null, null, now, now.plusSeconds(600)));
        stores().accessTokens().revoke("jti-revoked-long", now.plusSeconds(600), now);
        LoginSession shortSession = StoreSamples.session(StoreSamples.newHash(), "sid-1", now, Duration.ofSeconds(60));
        LoginSession longSession = StoreSamples.session(StoreSamples.newHash(), "sid-2", now, Duration.ofSeconds(600));
        stores().sessions().save(shortSession);
        stores().sessions().save(longSession);
        stores().usedJtis().markUsed("iss", "jti-short", now.plusSeconds(60));
        stores().usedJtis().markUsed("iss", "jti-long", now.plusSeconds(600));
        stores().rateLimits().hit("login:alice", Duration.ofMinutes(1), now);
        stores().rateLimits().hit("login:alice", Duration.ofHours(1), now);
        clock().advance(Duration.ofSeconds(60));
        Instant later = clock().instant();

        assertThat(stores().accessTokens().purgeExpired(later)).isEqualTo(1);
        assertThat(stores().sessions().purgeExpired(later)).isEqualTo(1);
        assertThat(stores().usedJtis().purgeExpired(later)).isEqualTo(1);
        assertThat(stores().rateLimits().purgeExpired(later)).isEqualTo(1);

        assertThat(stores().accessTokens().find("jti-long")).isPresent();
        assertThat(stores().accessTokens().isRevoked("jti-revoked-long")).isTrue();
        assertThat(stores().sessions().find(longSession.hash(), later)).isPresent();
        assertThat(stores().usedJtis().markUsed("iss", "jti-long", later.plusSeconds(600))).isFalse();
        assertThat(stores().usedJtis().markUsed("iss", "jti-short", later.plusSeconds(600))).isTrue();
        assertThat(stores().rateLimits().count("login:alice", Duration.ofHours(1), later)).isEqualTo(1);
    }
}
