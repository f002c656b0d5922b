package dev.tessera.server.http.view;

import dev.tessera.server.application.authorize.ConsentClaim;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The words a consent page uses for claims asked for beyond the scopes. */
class ClaimDescriptionsTest {
    @Test
    void aClaimAskedForOneByOneGetsItsOwnLineInWords() {
        assertThat(ClaimDescriptions.describeAll(List.of(new ConsentClaim("phone_number", false, false, List.of(), null))))
                .containsExactly(new ClaimDescription("See your phone number", "phone_number", false, null));
    }

    @Test
    void verifiedClaimsOfOneTrustFrameworkShareALineNamingIt() {
        List<ClaimDescription> lines = ClaimDescriptions.describeAll(List.of(
                new ConsentClaim("given_name", false, true, List.of("eidas"), null),
                new ConsentClaim("family_name", false, true, List.of("eidas"), null),
                new ConsentClaim("birthdate", true, true, List.of("eidas"), "to check your age")));

        assertThat(lines).containsExactly(new ClaimDescription(
                "See your verified first name, last name and birth date, checked by eidas",
                "verified_claims: given_name family_name birthdate", true, "to check your age"));
    }

    @Test
    void verifiedClaimsOfDifferentFrameworksGetOneLineEach() {
        List<ClaimDescription> lines = ClaimDescriptions.describeAll(List.of(
                new ConsentClaim("given_name", false, true, List.of("de_aml"), null),
                new ConsentClaim("address", false, true, List.of("eidas", "uk_tfida"), null),
                new ConsentClaim("nationalities", false, true, List.of(), null)));

        assertThat(lines).extracting(ClaimDescription::description).containsExactly(
                "See your verified first name, checked by de_aml",
                "See your verified postal address, checked by eidas and uk_tfida",
                "See your verified nationality");
    }

    @Test
    void anEssentialClaimIsRequiredAndAVoluntaryOneIsNot() {
        List<ClaimDescription> lines = ClaimDescriptions.describeAll(List.of(
                new ConsentClaim("email", true, false, List.of(), null),
                new ConsentClaim("picture", false, false, List.of(), null)));

        assertThat(lines).extracting(ClaimDescription::required).containsExactly(true, false);
    }

    @Test
    void aClaimWithoutWordsIsStillNamed() {
        assertThat(ClaimDescriptions.describeAll(List.of(new ConsentClaim("x_shoe_size", false, true, List.of(), null))))
                .extracting(ClaimDescription::description).containsExactly("See your verified \u201cx_shoe_size\u201d");
    }
}
