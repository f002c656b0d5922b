package dev.tessera.server.application.maintenance;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The background purge removes what has expired and nothing that is still valid. */
class ExpiredRowPurgerTest {
    private final Database database = StoreWiring.openInMemory();
    private final Stores stores = StoreWiring.jdbc(database);
    private final MutableClock clock = MutableClock.startingAt2030();
    private final ExpiredRowPurger purger = new ExpiredRowPurger(stores, clock);

    @AfterEach
    void close() {
        database.close();
    }

    private AuthorizationCode code(Instant expiresAt) {
        return new AuthorizationCode(OpaqueToken.generate(OpaqueToken.CODE_PREFIX).hash(), GrantId.random(), "web", "u1",
                null, null, null, Scopes.of("openid"), AuthenticationLevels.defaults().password(clock.instant()), "sid", null,
                List.of(), clock.instant(), expiresAt);
    }

    private LoginSession session(Instant expiresAt) {
        return new LoginSession(OpaqueToken.generate(OpaqueToken.SESSION_PREFIX).hash(), "sid-" + expiresAt, "u1",
                AuthenticationLevels.defaults().password(clock.instant()), clock.instant(), expiresAt);
    }

    @Test
    void removesExpiredRowsOfEveryKindAndKeepsValidOnes() {
        Instant now = clock.instant();
        AuthorizationCode expiredCode = code(now.plusSeconds(60));
        stores.codes().save(expiredCode);
        LoginSession expiredSession = session(now.plusSeconds(60));
        stores.sessions().save(expiredSession);
        stores.accessTokens().record(new IssuedAccessToken("old-jti", GrantId.random(), "web", "u1", null, null, now,
                now.plusSeconds(60)));
        stores.usedJtis().markUsed("https://idp.example", "old", now.plusSeconds(60));

        clock.advance(Duration.ofMinutes(5));
        Instant later = clock.instant();
        AuthorizationCode liveCode = code(later.plusSeconds(60));
        stores.codes().save(liveCode);
        LoginSession liveSession = session(later.plusSeconds(3600));
        stores.sessions().save(liveSession);
        stores.accessTokens().record(new IssuedAccessToken("live-jti", GrantId.random(), "web", "u1", null, null, later,
                later.plusSeconds(900)));
        stores.usedJtis().markUsed("https://idp.example", "live", later.plusSeconds(300));

        assertThat(purger.purge()).isEqualTo(4);

        assertThat(stores.codes().redeem(liveCode.hash(), clock.instant()))
                .isInstanceOf(dev.tessera.server.application.port.AuthorizationCodeStore.Redemption.Redeemed.class);
        assertThat(stores.sessions().find(liveSession.hash(), clock.instant())).isPresent();
        assertThat(stores.accessTokens().find("live-jti")).isPresent();
        assertThat(stores.accessTokens().find("old-jti")).isEmpty();
        assertThat(stores.usedJtis().markUsed("https://idp.example", "live", later.plusSeconds(300))).isFalse();
        assertThat(stores.codes().redeem(expiredCode.hash(), clock.instant()))
                .isInstanceOf(dev.tessera.server.application.port.AuthorizationCodeStore.Redemption.Unknown.class);
    }

    @Test
    void aUsedButUnexpiredCodeIsKeptSoAReplayIsStillRecognised() {
        AuthorizationCode code = code(clock.instant().plusSeconds(60));
        stores.codes().save(code);
        stores.codes().redeem(code.hash(), clock.instant());

        purger.purge();

        assertThat(stores.codes().redeem(code.hash(), clock.instant()))
                .isInstanceOf(dev.tessera.server.application.port.AuthorizationCodeStore.Redemption.Replayed.class);
    }
}
