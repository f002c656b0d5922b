package dev.tessera.server.application.issue;

import dev.tessera.server.application.issue.ClaimsRequestParser;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.claims.VerifiedClaimsRequest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selection of verified claims (OpenID Connect for Identity Assurance 1.0 §6), with a user modelled on the
 * specification's examples: a German AML verification of an ID card, and a second, eIDAS-verified address.
 */
class VerifiedClaimsSelectorTest {
    static final Map<String, Object> AML_ID_CARD = Map.of(
            "verification", Map.of(
                    "trust_framework", "de_aml",
                    "time", "2012-04-23T18:25Z",
                    "verification_process", "f24c6f-6d3f-4ec5-973e-b0d8506f3bc7",
                    "evidence", List.of(
                            Map.of("type", "document",
                                    "method", "pipp",
                                    "time", "2012-04-22T11:30Z",
                                    "document_details", Map.of(
                                            "type", "idcard",
                                            "issuer", Map.of("name", "Stadt Augsburg", "country", "DE"),
                                            "document_number", "53554554",
                                            "date_of_issuance", "2010-03-23",
                                            "date_of_expiry", "2020-03-22")),
                            Map.of("type", "electronic_record",
                                    "check_details", List.of(Map.of("check_method", "kbv")),
                                    "record", Map.of("type", "population_register")))),
            "claims", Map.of(
                    "given_name", "Max",
                    "family_name", "Meier",
                    "birthdate", "1956-01-28",
                    "place_of_birth", Map.of("country", "DE", "locality", "Musterstadt"),
                    "nationalities", List.of("DE")));
    static final Map<String, Object> EIDAS_ADDRESS = Map.of(
            "verification", Map.of("trust_framework", "eidas", "assurance_level", "substantial"),
            "claims", Map.of("address", Map.of("locality", "Maxstadt", "postal_code", "12344", "country", "DE")));

    private final VerifiedClaimsSelector selector = new VerifiedClaimsSelector(
            Clock.fixed(Instant.parse("2013-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static List<VerifiedClaimsRequest> request(String verifiedClaims) {
        return ClaimsRequestParser.parse("{\"userinfo\":{\"verified_claims\":" + verifiedClaims + "}}")
                .verifiedClaims(ClaimsRequest.Target.USERINFO);
    }

    private Optional<Object> select(Object held, String verifiedClaims) {
        return selector.select(held, request(verifiedClaims), claim -> true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Optional<Object> selected) {
        assertThat(selected).isPresent();
        assertThat(selected.get()).isInstanceOf(Map.class);
        return (Map<String, Object>) selected.get();
    }

    @Test
    void onlyTheRequestedClaimsAndTheTrustFrameworkComeBack() {
        Map<String, Object> selected = object(select(AML_ID_CARD,
                "{\"verification\":{\"trust_framework\":null},\"claims\":{\"given_name\":null,\"family_name\":null}}"));

        assertThat(selected.get("claims")).isEqualTo(Map.of("given_name", "Max", "family_name", "Meier"));
        assertThat(selected.get("verification")).isEqualTo(Map.of("trust_framework", "de_aml"));
    }

    @Test
    void theTrustFrameworkComesBackEvenWhenVerificationWasNotRequested() {
        Map<String, Object> selected = object(select(AML_ID_CARD, "{\"claims\":{\"birthdate\":null}}"));

        assertThat(selected.get("verification")).isEqualTo(Map.of("trust_framework", "de_aml"));
    }

    @Test
    void aTrustFrameworkValueTheUserLacksReleasesNothingFromThatVerification() {
        assertThat(select(AML_ID_CARD,
                "{\"verification\":{\"trust_framework\":{\"value\":\"eidas\"}},\"claims\":{\"given_name\":null}}"))
                .isEmpty();
    }

    @Test
    void oneOfSeveralTrustFrameworkValuesIsEnough() {
        Map<String, Object> selected = object(select(AML_ID_CARD,
                "{\"verification\":{\"trust_framework\":{\"values\":[\"eidas\",\"de_aml\"]}},\"claims\":{\"given_name\":null}}"));

        assertThat(selected.get("claims")).isEqualTo(Map.of("given_name", "Max"));
    }

    @Test
    void timeAndVerificationProcessComeBackWhenAskedForWithNull() {
        Map<String, Object> selected = object(select(AML_ID_CARD, "{\"verification\":{\"trust_framework\":null,"
                + "\"time\":null,\"verification_process\":null},\"claims\":{\"given_name\":null}}"));

        assertThat(selected.get("verification")).isEqualTo(Map.of("trust_framework", "de_aml",
                "time", "2012-04-23T18:25Z", "verification_process", "f24c6f-6d3f-4ec5-973e-b0d8506f3bc7"));
    }

    @Test
    void aVerificationOlderThanMaxAgeIsNotReleased() {
        String claims = ",\"claims\":{\"given_name\":null}}";
        // verified 2012-04-23T18:25Z; "now" is 2013-01-01: about 252 days earlier
        assertThat(select(AML_ID_CARD, "{\"verification\":{\"time\":{\"max_age\":86400}}" + claims)).isEmpty();
        assertThat(object(select(AML_ID_CARD, "{\"verification\":{\"time\":{\"max_age\":63113852}}" + claims))
                .get("verification")).isEqualTo(Map.of("trust_framework", "de_aml", "time", "2012-04-23T18:25Z"));
    }

    @Test
    void evidenceIsFilteredByTypeAndShapedByTheRequestedElements() {
        Map<String, Object> selected = object(select(AML_ID_CARD, """
                {"verification":{"trust_framework":null,
                   "evidence":[{"type":{"value":"document"},"method":null,
                                "document_details":{"type":null,"issuer":{"country":null}}}]},
                 "claims":{"given_name":null}}"""));

        assertThat(selected.get("verification")).isEqualTo(Map.of("trust_framework", "de_aml",
                "evidence", List.of(Map.of("type", "document", "method", "pipp",
                        "document_details", Map.of("type", "idcard", "issuer", Map.of("country", "DE"))))));
    }

    @Test
    void evidenceOfATypeTheUserLacksIsLeftOutButTheClaimsStillCome() {
        Map<String, Object> selected = object(select(AML_ID_CARD, """
                {"verification":{"evidence":[{"type":{"value":"vouch"}}]},"claims":{"given_name":null}}"""));

        assertThat(selected.get("verification")).isEqualTo(Map.of("trust_framework", "de_aml"));
        assertThat(selected.get("claims")).isEqualTo(Map.of("given_name", "Max"));
    }

    @Test
    void aSubElementOfAClaimCanBeSelected() {
        Map<String, Object> selected = object(select(AML_ID_CARD,
                "{\"claims\":{\"place_of_birth\":{\"country\":null}}}"));

        assertThat(selected.get("claims")).isEqualTo(Map.of("place_of_birth", Map.of("country", "DE")));
    }

    @Test
    void claimsTheUserDoesNotHaveAreLeftOutAndNoneAtAllMeansNoVerifiedClaims() {
        assertThat(object(select(AML_ID_CARD, "{\"claims\":{\"given_name\":null,\"email\":null}}")).get("claims"))
                .isEqualTo(Map.of("given_name", "Max"));
        assertThat(select(AML_ID_CARD, "{\"claims\":{\"email\":null}}")).isEmpty();
    }

    @Test
    void severalVerifiedObjectsAnswerAsAnArrayEachWithItsOwnVerification() {
        Optional<Object> selected = select(List.of(AML_ID_CARD, EIDAS_ADDRESS),
                "{\"claims\":{\"given_name\":null,\"address\":null}}");

        assertThat(selected.orElseThrow()).isEqualTo(List.of(
                Map.of("verification", Map.of("trust_framework", "de_aml"), "claims", Map.of("given_name", "Max")),
                Map.of("verification", Map.of("trust_framework", "eidas"),
                        "claims", Map.of("address", EIDAS_ADDRESS_ADDRESS()))));
    }

    @Test
    void anArrayOfRequestsAsksEachVerificationForItsOwnClaims() {
        // OIDC4IDA: name and birth date from an eIDAS "high" verification, the address from any substantial one
        Optional<Object> selected = select(List.of(AML_ID_CARD, EIDAS_ADDRESS), """
                [{"verification":{"trust_framework":{"value":"de_aml"}},"claims":{"family_name":null,"birthdate":null}},
                 {"verification":{"trust_framework":null,"assurance_level":{"values":["substantial","high"]}},
                  "claims":{"address":null}}]""");

        assertThat(selected.orElseThrow()).isEqualTo(List.of(
                Map.of("verification", Map.of("trust_framework", "de_aml"),
                        "claims", Map.of("family_name", "Meier", "birthdate", "1956-01-28")),
                Map.of("verification", Map.of("trust_framework", "eidas", "assurance_level", "substantial"),
                        "claims", Map.of("address", EIDAS_ADDRESS_ADDRESS()))));
    }

    @Test
    void anAssuranceLevelTheUserLacksReleasesNothing() {
        assertThat(select(EIDAS_ADDRESS,
                "{\"verification\":{\"assurance_level\":{\"value\":\"high\"}},\"claims\":{\"address\":null}}")).isEmpty();
    }

    @Test
    void claimsTheUserDidNotAllowAreLeftOut() {
        Optional<Object> selected = selector.select(AML_ID_CARD,
                request("{\"claims\":{\"given_name\":null,\"birthdate\":null}}"), "birthdate"::equals);

        assertThat(object(selected).get("claims")).isEqualTo(Map.of("birthdate", "1956-01-28"));
        assertThat(selector.select(AML_ID_CARD, request("{\"claims\":{\"given_name\":null}}"), claim -> false))
                .isEmpty();
    }

    @Test
    void aUserWithoutVerifiedClaimsGetsNone() {
        assertThat(select(Map.of(), "{\"claims\":{\"given_name\":null}}")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> EIDAS_ADDRESS_ADDRESS() {
        return (Map<String, Object>) ((Map<String, Object>) EIDAS_ADDRESS.get("claims")).get("address");
    }
}
