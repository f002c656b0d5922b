package dev.tessera.server.domain;

import dev.tessera.server.domain.authz.AcrRequirement;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.claims.ClaimRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.tessera.server.domain.authz.AuthenticationLevels.MULTI_FACTOR;
import static dev.tessera.server.domain.authz.AuthenticationLevels.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

class AcrRequirementTest {
    private static final AuthenticationLevels LEVELS = AuthenticationLevels.defaults();
    private static final String PWD = "urn:tessera:acr:pwd";
    private static final String MFA = "urn:tessera:acr:mfa";

    private static Optional<ClaimRequest> essential(Object... values) {
        return Optional.of(new ClaimRequest("acr", true, List.of(values), null));
    }

    @Test
    void nothingAskedIsMetByAPassword() {
        AcrRequirement none = AcrRequirement.of(List.of(), Optional.empty(), LEVELS);

        assertThat(none.metBy(PASSWORD)).isTrue();
        assertThat(none.essential()).isFalse();
    }

    @Test
    void acrValuesAimForTheFirstKnownValueInOrderOfPreference() {
        assertThat(AcrRequirement.of(List.of("urn:x", MFA, PWD), Optional.empty(), LEVELS).rank()).isEqualTo(MULTI_FACTOR);
        assertThat(AcrRequirement.of(List.of(PWD, MFA), Optional.empty(), LEVELS).rank()).isEqualTo(PASSWORD);
        assertThat(AcrRequirement.of(List.of("urn:x"), Optional.empty(), LEVELS).metBy(PASSWORD)).isTrue();
        assertThat(AcrRequirement.of(List.of(MFA), Optional.empty(), LEVELS).essential()).isFalse();
    }

    @Test
    void anEssentialClaimNeedsTheWeakestOfItsKnownValues() {
        assertThat(AcrRequirement.of(List.of(), essential(MFA), LEVELS).metBy(PASSWORD)).isFalse();
        assertThat(AcrRequirement.of(List.of(), essential(MFA), LEVELS).metBy(MULTI_FACTOR)).isTrue();
        assertThat(AcrRequirement.of(List.of(), essential(PWD, MFA), LEVELS).metBy(PASSWORD)).isTrue();
        assertThat(AcrRequirement.of(List.of(), essential(), LEVELS).metBy(PASSWORD)).isTrue();
        // The essential claim wins over acr_values.
        assertThat(AcrRequirement.of(List.of(PWD), essential(MFA), LEVELS).metBy(PASSWORD)).isFalse();
    }

    @Test
    void anEssentialClaimOfUnknownValuesCannotBeMet() {
        AcrRequirement unknown = AcrRequirement.of(List.of(), essential("urn:x", 42), LEVELS);

        assertThat(unknown.satisfiable()).isFalse();
        assertThat(unknown.metBy(MULTI_FACTOR)).isFalse();
    }

    @Test
    void theReportedAcrIsARequestedValueWhenTheClaimIsEssential() {
        AuthenticationEvent mfa = LEVELS.multiFactor(Instant.EPOCH);

        assertThat(AcrRequirement.of(List.of(), essential(PWD), LEVELS).reported(mfa, LEVELS).acr()).isEqualTo(PWD);
        assertThat(AcrRequirement.of(List.of(), essential(PWD, MFA), LEVELS).reported(mfa, LEVELS).acr()).isEqualTo(MFA);
        assertThat(AcrRequirement.of(List.of(), essential(PWD), LEVELS).reported(mfa, LEVELS).amr())
                .containsExactly("pwd", "otp", "mfa");
        assertThat(AcrRequirement.of(List.of(PWD), Optional.empty(), LEVELS).reported(mfa, LEVELS).acr()).isEqualTo(MFA);
    }
}
