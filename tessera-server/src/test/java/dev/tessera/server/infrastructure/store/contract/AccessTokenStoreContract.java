package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

public interface AccessTokenStoreContract extends StoreFixture {

    private AccessTokenStore tokens() {
        return stores().accessTokens();
    }

    private IssuedAccessToken recorded(String jti, GrantId grantId) {
        Instant now = clock().instant();
        IssuedAccessToken token = new IssuedAccessToken(jti, grantId, "client-a", "user-1", null, null, now,
                now.plusSeconds(900));
        tokens().record(token);
        return token;
    }

    @Test
    default void recordedTokenIsFoundAndNotRevoked() {
        IssuedAccessToken token = recorded("jti-1", GrantId.random());

        assertThat(tokens().find("jti-1")).contains(token);
        assertThat(tokens().isRevoked("jti-1")).isFalse();
    }

    @Test
    default void opaqueTokenRoundTripsItsHashAndClaims() {
        Instant now = clock().instant();
        IssuedAccessToken token = new IssuedAccessToken("jti-opaque", null, "service", "service", "b3BhcXVlLWhhc2g",
                "{\"scope\":\"api:read\",\"aud\":[\"https://api.example/\"]}", now, now.plusSeconds(900));

        tokens().record(token);

        assertThat(tokens().find("jti-opaque")).contains(token);
        assertThat(tokens().findByOpaqueHash(new dev.tessera.server.domain.token.TokenHash("b3BhcXVlLWhhc2g")))
                .contains(token);
        assertThat(tokens().findByOpaqueHash(new dev.tessera.server.domain.token.TokenHash("b3RoZXI"))).isEmpty();
    }

    @Test
    default void theGrantsClaimsRequestRoundTrips() {
        Instant now = clock().instant();
        String claims = "{\"userinfo\":{\"email\":{\"essential\":true},\"verified_claims\":{\"claims\":{\"given_name\":null}}}}";
        IssuedAccessToken token = new IssuedAccessToken("jti-claims", GrantId.random(), "client-a", "user-1", null,
                null, now, now.plusSeconds(900), claims);

        tokens().record(token);

        assertThat(tokens().find("jti-claims").orElseThrow().claimsRequest()).isEqualTo(claims);
        assertThat(recorded("jti-plain", GrantId.random()).claimsRequest()).isNull();
        assertThat(tokens().find("jti-plain").orElseThrow().claimsRequest()).isNull();
    }

    @Test
    default void aTokenRecordedAfterItsRevocationKeepsItsClaimsRequestAndStaysRevoked() {
        Instant now = clock().instant();
        tokens().revoke("jti-late", now.plusSeconds(900), now);

        tokens().record(new IssuedAccessToken("jti-late", GrantId.random(), "client-a", "user-1", null, null, now,
                now.plusSeconds(900), "{\"userinfo\":{\"email\":null}}"));

        assertThat(tokens().find("jti-late").orElseThrow().claimsRequest()).isEqualTo("{\"userinfo\":{\"email\":null}}");
        assertThat(tokens().isRevoked("jti-late")).isTrue();
    }

    @Test
    default void unknownJtiIsNotRevokedAndNotFound() {
        assertThat(tokens().isRevoked("jti-unknown")).isFalse();
        assertThat(tokens().find("jti-unknown")).isEmpty();
    }

    @Test
    default void revokeByJtiRevokesOnce() {
        recorded("jti-1", GrantId.random());
        Instant expiresAt = clock().instant().plusSeconds(900);

        assertThat(tokens().revoke("jti-1", expiresAt, clock().instant())).isTrue();
        assertThat(tokens().isRevoked("jti-1")).isTrue();
        assertThat(tokens().revoke("jti-1", expiresAt, clock().instant())).isFalse();
    }

    @Test
    default void revokingAnUnknownJtiRecordsItAsRevoked() {
        assertThat(tokens().revoke("jti-from-elsewhere", clock().instant().plusSeconds(900), clock().instant())).isTrue();

        assertThat(tokens().isRevoked("jti-from-elsewhere")).isTrue();
        assertThat(tokens().find("jti-from-elsewhere")).isEmpty();
    }

    @Test
    default void tokenRecordedAfterItsJtiWasRevokedStaysRevoked() {
        tokens().revoke("jti-late", clock().instant().plusSeconds(900), clock().instant());

        IssuedAccessToken token = recorded("jti-late", GrantId.random());

        assertThat(tokens().isRevoked("jti-late")).isTrue();
        assertThat(tokens().find("jti-late")).contains(token);
    }

    @Test
    default void revokeGrantRevokesEveryTokenOfThatGrantOnly() {
        GrantId grant = GrantId.random();
        recorded("jti-1", grant);
        recorded("jti-2", grant);
        recorded("jti-other", GrantId.random());
        recorded("jti-client-credentials", null);

        assertThat(tokens().revokeGrant(grant, clock().instant())).isEqualTo(2);

        assertThat(tokens().isRevoked("jti-1")).isTrue();
        assertThat(tokens().isRevoked("jti-2")).isTrue();
        assertThat(tokens().isRevoked("jti-other")).isFalse();
        assertThat(tokens().isRevoked("jti-client-credentials")).isFalse();
        assertThat(tokens().revokeGrant(grant, clock().instant())).isZero();
    }
}
