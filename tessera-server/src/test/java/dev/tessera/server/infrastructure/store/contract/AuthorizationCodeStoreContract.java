package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.AuthorizationCodeStore;
import dev.tessera.server.application.port.AuthorizationCodeStore.Redemption;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public interface AuthorizationCodeStoreContract extends StoreFixture {

    private AuthorizationCodeStore codes() {
        return stores().codes();
    }

    private AuthorizationCode savedCode(GrantId grantId) {
        AuthorizationCode code = StoreSamples.code(StoreSamples.newHash(), grantId, clock().instant(), Duration.ofSeconds(60));
        codes().save(code);
        return code;
    }

    @Test
    default void redeemReturnsTheStoredCodeWithEveryField() {
        AuthorizationCode code = savedCode(GrantId.random());

        Redemption result = codes().redeem(code.hash(), clock().instant());

        assertThat(result).isInstanceOf(Redemption.Redeemed.class);
        assertThat(((Redemption.Redeemed) result).code()).usingRecursiveComparison().isEqualTo(code);
    }

    @Test
    default void findReturnsTheCodeAndWhenItWasUsedWithoutUsingIt() {
        AuthorizationCode code = savedCode(GrantId.random());

        AuthorizationCodeStore.StoredCode unused = codes().find(code.hash()).orElseThrow();
        assertThat(unused.code()).usingRecursiveComparison().isEqualTo(code);
        assertThat(unused.usedAt()).isNull();
        assertThat(codes().redeem(code.hash(), clock().instant())).isInstanceOf(Redemption.Redeemed.class);
        assertThat(codes().find(code.hash()).orElseThrow().usedAt()).isEqualTo(clock().instant());
        assertThat(codes().find(StoreSamples.newHash())).isEmpty();
    }

    @Test
    default void redeemIsSingleUse() {
        AuthorizationCode code = savedCode(GrantId.random());

        codes().redeem(code.hash(), clock().instant());
        Redemption second = codes().redeem(code.hash(), clock().instant());

        assertThat(second).isInstanceOf(Redemption.Replayed.class);
    }

    @Test
    default void sixteenConcurrentRedeemsYieldOneWinner() throws Exception {
        AuthorizationCode code = savedCode(GrantId.random());
        Instant now = clock().instant();

        List<Redemption> results = Concurrently.run(16, () -> codes().redeem(code.hash(), now));

        assertThat(results).filteredOn(r -> r instanceof Redemption.Redeemed).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof Redemption.Replayed).hasSize(15);
    }

    @Test
    default void replayReturnsTheCodeSoTokensCanBeRevoked() {
        GrantId grantId = GrantId.random();
        AuthorizationCode code = savedCode(grantId);
        codes().redeem(code.hash(), clock().instant());
        clock().advance(Duration.ofSeconds(5));

        Redemption replay = codes().redeem(code.hash(), clock().instant());

        assertThat(replay).isInstanceOf(Redemption.Replayed.class);
        AuthorizationCode replayed = ((Redemption.Replayed) replay).code();
        assertThat(replayed.grantId()).isEqualTo(grantId);
        assertThat(replayed.clientId()).isEqualTo("client-a");
    }

    @Test
    default void codePresentedAtItsExpiryInstantIsExpired() {
        AuthorizationCode code = savedCode(GrantId.random());
        clock().set(code.expiresAt());

        assertThat(codes().redeem(code.hash(), clock().instant())).isInstanceOf(Redemption.Expired.class);
    }

    @Test
    default void expiredCodeCannotBeRedeemedLaterEither() {
        AuthorizationCode code = savedCode(GrantId.random());
        clock().advance(Duration.ofMinutes(5));

        assertThat(codes().redeem(code.hash(), clock().instant())).isInstanceOf(Redemption.Expired.class);
        assertThat(codes().redeem(code.hash(), clock().instant())).isInstanceOf(Redemption.Expired.class);
    }

    @Test
    default void codeRedeemedJustBeforeExpiryWins() {
        AuthorizationCode code = savedCode(GrantId.random());
        clock().set(code.expiresAt().minusMillis(1));

        assertThat(codes().redeem(code.hash(), clock().instant())).isInstanceOf(Redemption.Redeemed.class);
    }

    @Test
    default void usedCodePresentedAfterExpiryIsStillAReplay() {
        AuthorizationCode code = savedCode(GrantId.random());
        codes().redeem(code.hash(), clock().instant());
        clock().advance(Duration.ofMinutes(5));

        assertThat(codes().redeem(code.hash(), clock().instant())).isInstanceOf(Redemption.Replayed.class);
    }

    @Test
    default void unknownCodeIsUnknown() {
        savedCode(GrantId.random());

        assertThat(codes().redeem(TokenHash.of("tsr_ac_never-issued"), clock().instant()))
                .isInstanceOf(Redemption.Unknown.class);
    }

    @Test
    default void codeWithoutOptionalFieldsRoundTrips() {
        Instant now = clock().instant();
        AuthorizationCode code = new AuthorizationCode(StoreSamples.newHash(), GrantId.random(), "client-a", "user-1",
                null, null, null, dev.tessera.server.domain.scope.Scopes.empty(), null, null, null, List.of(), now,
                now.plusSeconds(60));
        codes().save(code);

        Redemption result = codes().redeem(code.hash(), now);

        assertThat(((Redemption.Redeemed) result).code()).usingRecursiveComparison().isEqualTo(code);
    }
}
