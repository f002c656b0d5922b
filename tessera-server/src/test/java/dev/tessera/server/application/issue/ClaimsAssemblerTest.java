package dev.tessera.server.application.issue;

import dev.tessera.server.application.port.ConsentStore;
import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.claims.ClaimsRequest.Target;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Claim release follows consent (SPEC §5), for the ID token and userinfo alike. */
class ClaimsAssemblerTest {
    private static final Client CLIENT = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
            .scopes(Scopes.of("openid", "profile", "email", "phone")).build();
    private static final Map<String, Object> VERIFIED = Map.of(
            "verification", Map.of("trust_framework", "eidas"),
            "claims", Map.of("given_name", "Alice", "birthdate", "1990-01-01"));
    private static final User ALICE = new User("u1", "alice", null, List.of(), Map.of("name", "Alice Example",
            "email", "alice@example.com", "email_verified", true, "phone_number", "+1 555 0100",
            "department", "R&D"), VERIFIED, List.of(), true);
    private static final ClaimsRequest EVERYTHING = ClaimsRequestParser.parse("""
            {"id_token":{"email":null,"phone_number":{"essential":true},"address":null,
                         "verified_claims":{"claims":{"given_name":null,"birthdate":null}}},
             "userinfo":{"email":null,"verified_claims":{"claims":{"given_name":null}}}}""");

    private final FakeConsents consents = new FakeConsents();
    private final ClaimsAssembler assembler = new ClaimsAssembler(consents, new VerifiedClaimsSelector(Clock.systemUTC()));

    private Map<String, Object> release(Client client, Scopes scopes, ClaimsRequest request, Target target) {
        return assembler.claimsFor(ALICE, client, scopes, request, target);
    }

    @Test
    void aGrantedScopeReleasesItsClaimsWithoutAClaimsRequest() {
        assertThat(release(CLIENT, Scopes.of("openid", "email"), ClaimsRequest.none(), Target.ID_TOKEN))
                .containsOnlyKeys("email", "email_verified");
    }

    @Test
    void claimsAskedForOneByOneAreNotReleasedWithoutConsent() {
        // the audit case: default empty claims list, only openid, a claims request for everything
        assertThat(release(CLIENT, Scopes.of("openid"), EVERYTHING, Target.ID_TOKEN)).isEmpty();
        assertThat(release(CLIENT, Scopes.of("openid"), EVERYTHING, Target.USERINFO)).isEmpty();
    }

    @Test
    void aConsentToScopesAloneReleasesNoIndividuallyRequestedClaim() {
        consents.save(new Consent("u1", "web", Scopes.of("openid"), Instant.EPOCH));

        assertThat(release(CLIENT, Scopes.of("openid"), EVERYTHING, Target.ID_TOKEN)).isEmpty();
    }

    @Test
    void consentedClaimsAreReleasedWhereTheyWereAskedFor() {
        consents.save(new Consent("u1", "web", Scopes.of("openid"), Set.of("email", "phone_number"), Instant.EPOCH));
        ClaimsRequest request = ClaimsRequestParser.parse("{\"id_token\":{\"phone_number\":null},\"userinfo\":{\"email\":null}}");

        assertThat(release(CLIENT, Scopes.of("openid"), request, Target.ID_TOKEN)).containsOnlyKeys("phone_number");
        assertThat(release(CLIENT, Scopes.of("openid"), request, Target.USERINFO)).containsOnlyKeys("email");
    }

    @Test
    void verifiedClaimsNeedConsentClaimByClaim() {
        consents.save(new Consent("u1", "web", Scopes.of("openid"), Set.of("verified_claims/birthdate"), Instant.EPOCH));

        assertThat(release(CLIENT, Scopes.of("openid"), EVERYTHING, Target.ID_TOKEN).get("verified_claims"))
                .isEqualTo(Map.of("verification", Map.of("trust_framework", "eidas"),
                        "claims", Map.of("birthdate", "1990-01-01")));
        assertThat(release(CLIENT, Scopes.of("openid"), EVERYTHING, Target.USERINFO)).doesNotContainKey("verified_claims");
    }

    @Test
    void aConsentSkipClientGetsWhatItAsksForWithoutAConsentRow() {
        Client firstParty = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
                .scopes(Scopes.of("openid")).consent(ConsentPolicy.SKIP).build();

        assertThat(release(firstParty, Scopes.of("openid"), EVERYTHING, Target.ID_TOKEN))
                .containsOnlyKeys("email", "phone_number", "verified_claims");
    }

    @Test
    void theClientsClaimsListCapsEvenAConsentSkipClient() {
        Client capped = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
                .scopes(Scopes.of("openid", "profile", "email")).consent(ConsentPolicy.SKIP)
                .claims(Set.of("email")).build();

        assertThat(release(capped, Scopes.of("openid", "profile", "email"), EVERYTHING, Target.ID_TOKEN))
                .containsOnlyKeys("email");
    }

    @Test
    void customClaimsGoOutOnlyWhenTheClientsListNamesThem() {
        Client withDepartment = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
                .scopes(Scopes.of("openid")).claims(Set.of("department")).build();

        assertThat(release(CLIENT, Scopes.of("openid"), ClaimsRequestParser.parse("{\"id_token\":{\"department\":null}}"),
                Target.ID_TOKEN)).isEmpty();
        assertThat(release(withDepartment, Scopes.of("openid"), ClaimsRequest.none(), Target.ID_TOKEN))
                .containsOnlyKeys("department");
    }

    /** A map-backed consent store: this class tests release rules, the JDBC store has its contract suite. */
    private static final class FakeConsents implements ConsentStore {
        private final Map<String, Consent> rows = new HashMap<>();

        @Override
        public Optional<Consent> find(String userId, String clientId) {
            return Optional.ofNullable(rows.get(userId + " " + clientId));
        }

        @Override
        public void save(Consent consent) {
            rows.put(consent.userId() + " " + consent.clientId(), consent);
        }

        @Override
        public void revoke(String userId, String clientId) {
            rows.remove(userId + " " + clientId);
        }
    }
}
