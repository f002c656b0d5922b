package dev.tessera.server.domain.claims;

import dev.tessera.server.application.issue.ClaimsRequestParser;
import dev.tessera.server.domain.claims.ClaimsRequest.Target;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OIDC Core §5.5 claims parameter as Tessera reads it, and the shapes it refuses. */
class ClaimsRequestTest {
    private static ClaimsRequest parse(String json) {
        return ClaimsRequestParser.parse(json);
    }

    @Test
    void readsBothMembersWithEssentialAndValues() {
        // Core §5.5 example, shortened
        ClaimsRequest request = parse("""
                {"userinfo": {"given_name": {"essential": true}, "nickname": null,
                              "email": {"essential": true}, "picture": null},
                 "id_token": {"auth_time": {"essential": true},
                              "acr": {"values": ["urn:mace:incommon:iap:silver"]}}}""");

        assertThat(request.claims(Target.USERINFO)).containsOnlyKeys("given_name", "nickname", "email", "picture");
        assertThat(request.claims(Target.USERINFO).get("email").essential()).isTrue();
        assertThat(request.claims(Target.USERINFO).get("nickname").essential()).isFalse();
        assertThat(request.claims(Target.ID_TOKEN).get("acr").values()).containsExactly("urn:mace:incommon:iap:silver");
        assertThat(request.names()).contains("given_name", "auth_time", "acr");
        assertThat(request.json()).contains("given_name");
    }

    @Test
    void acrGivesTheWantedValuesAndWhetherTheyAreEssential() {
        ClaimRequest acr = parse("{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"urn:tessera:acr:mfa\"}}}")
                .acr().orElseThrow();

        assertThat(acr.essential()).isTrue();
        assertThat(acr.values()).containsExactly("urn:tessera:acr:mfa");
    }

    @Test
    void acrAskedOnlyForUserinfoStillCounts() {
        assertThat(parse("{\"userinfo\":{\"acr\":{\"values\":[\"a\",\"b\"]}}}").acr().orElseThrow().values())
                .containsExactly("a", "b");
    }

    @Test
    void acrIsEmptyWhenNotAsked() {
        assertThat(parse("{\"id_token\":{\"email\":null}}").acr()).isEmpty();
        assertThat(ClaimsRequest.none().acr()).isEmpty();
    }

    @Test
    void subWithAValueIsTheRequiredSubject() {
        assertThat(parse("{\"id_token\":{\"sub\":{\"value\":\"248289761001\"}}}").requiredSubjects())
                .containsExactly("248289761001");
        assertThat(parse("{\"id_token\":{\"sub\":null}}").requiredSubjects()).isEmpty();
    }

    @Test
    void essentialAtEitherTargetMakesTheClaimEssential() {
        ClaimsRequest request = parse("{\"id_token\":{\"email\":null},\"userinfo\":{\"email\":{\"essential\":true}}}");

        assertThat(request.claim("email").orElseThrow().essential()).isTrue();
    }

    @Test
    void verifiedClaimsMayBeOneObjectOrAnArray() {
        ClaimsRequest one = parse("""
                {"userinfo":{"verified_claims":{"verification":{"trust_framework":null},
                                                "claims":{"given_name":null,"birthdate":{"essential":true}}}}}""");
        ClaimsRequest two = parse("""
                {"id_token":{"verified_claims":[
                   {"verification":{"trust_framework":{"value":"eidas"}},"claims":{"given_name":null}},
                   {"verification":{"trust_framework":{"values":["de_aml","eidas"]},"time":null},
                    "claims":{"address":null}}]}}""");

        assertThat(one.verifiedClaims(Target.USERINFO)).hasSize(1);
        assertThat(one.verifiedClaims(Target.USERINFO).get(0).requestedClaims())
                .extracting(ClaimRequest::name, ClaimRequest::essential)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("given_name", false),
                        org.assertj.core.groups.Tuple.tuple("birthdate", true));
        assertThat(one.claims(Target.USERINFO)).doesNotContainKey("verified_claims");
        assertThat(two.verifiedClaims(Target.ID_TOKEN)).hasSize(2);
        assertThat(two.verifiedClaims(Target.ID_TOKEN).get(1).asksFor("time")).isTrue();
        assertThat(two.verifiedClaims()).hasSize(2);
    }

    @Test
    void unknownTopLevelMembersAndUnknownClaimMembersAreIgnored() {
        ClaimsRequest request = parse("{\"id_token\":{\"email\":{\"essential\":false,\"x-extra\":1}},\"other\":[1]}");

        assertThat(request.claims(Target.ID_TOKEN)).containsOnlyKeys("email");
    }

    @Test
    void anEmptyOrMissingParameterIsTheEmptyRequest() {
        assertThat(parse(null).isEmpty()).isTrue();
        assertThat(parse("  ").isEmpty()).isTrue();
        assertThat(parse("{}").isEmpty()).isTrue();
        assertThat(parse("{}").acr()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[]",
            "[[\"userinfo\",{\"email\":null}]]",
            "{\"id_token\":",
            "{\"id_token\":[\"email\"]}",
            "{\"userinfo\":\"email\"}",
            "{\"userinfo\":{\"email\":\"yes\"}}",
            "{\"userinfo\":{\"email\":true}}",
            "{\"userinfo\":{\"email\":{\"essential\":\"true\"}}}",
            "{\"userinfo\":{\"email\":{\"values\":\"a@b.c\"}}}",
            "{\"userinfo\":{\"email\":{\"values\":[null]}}}",
            "{\"userinfo\":{\"email\":{\"value\":{\"nested\":1}}}}",
            "{\"userinfo\":{\"email\":{\"value\":\"a\",\"values\":[\"b\"]}}}",
            "{\"userinfo\":{\"email\":{\"purpose\":\"ab\"}}}",
            "{\"userinfo\":{\"verified_claims\":null}}",
            "{\"userinfo\":{\"verified_claims\":[]}}",
            "{\"userinfo\":{\"verified_claims\":\"all\"}}",
            "{\"userinfo\":{\"verified_claims\":{\"verification\":{\"trust_framework\":null}}}}",
            "{\"userinfo\":{\"verified_claims\":{\"claims\":{}}}}",
            "{\"userinfo\":{\"verified_claims\":{\"verification\":[],\"claims\":{\"given_name\":null}}}}",
            "{\"userinfo\":{\"verified_claims\":{\"verification\":{\"time\":{\"max_age\":-1}},\"claims\":{\"given_name\":null}}}}",
            "{\"userinfo\":{\"verified_claims\":{\"verification\":{\"evidence\":[\"document\"]},\"claims\":{\"given_name\":null}}}}",
            "{\"userinfo\":{\"verified_claims\":{\"claims\":{\"given_name\":{\"purpose\":\"" + "x" + "\"}}}}}",
            "{\"userinfo\":{\"verified_claims\":[{\"claims\":{\"given_name\":null}}, 7]}}"})
    void malformedRequestsAreInvalidRequest(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(OAuthException.class,
                e -> {
                    assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST);
                    assertThat(e.description()).startsWith("the claims parameter");
                });
    }

    @Test
    void aPurposeLongerThan300CharactersIsInvalidRequest() {
        String purpose = "p".repeat(301);

        assertThatThrownBy(() -> parse("{\"userinfo\":{\"verified_claims\":{\"claims\":{\"given_name\":{\"purpose\":\""
                + purpose + "\"}}}}}")).isInstanceOf(OAuthException.class);
        assertThat(parse("{\"userinfo\":{\"verified_claims\":{\"claims\":{\"given_name\":{\"purpose\":\""
                + "p".repeat(300) + "\"}}}}}").verifiedClaims(Target.USERINFO)).hasSize(1);
    }

    @Test
    void aHostileClaimNameCannotBreakTheErrorDescription() {
        assertThatThrownBy(() -> parse("{\"userinfo\":{\"a\\\"b\\\\c\u00e9\":\"x\"}}"))
                .isInstanceOfSatisfying(OAuthException.class,
                        e -> assertThat(e.description()).doesNotContain("\"", "\\", "\u00e9"));
    }

    @Test
    void requestedClaimsInsideVerifiedClaimsKeepTheirOrder() {
        List<String> names = parse("{\"userinfo\":{\"verified_claims\":{\"claims\":"
                + "{\"family_name\":null,\"given_name\":null,\"birthdate\":null}}}}")
                .verifiedClaims(Target.USERINFO).get(0).requestedClaims().stream().map(ClaimRequest::name).toList();

        assertThat(names).containsExactly("family_name", "given_name", "birthdate");
    }
}
