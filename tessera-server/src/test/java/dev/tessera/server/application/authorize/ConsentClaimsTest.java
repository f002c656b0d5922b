package dev.tessera.server.application.authorize;

import dev.tessera.server.application.issue.ClaimsRequestParser;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which claims a consent page names, and what it says about them. */
class ConsentClaimsTest {
    private static final Client WEB = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
            .scopes(Scopes.of("openid", "email", "phone")).build();
    private static final User MAX = new User("u1", "max", null, List.of(), Map.of(), List.of(
            Map.of("verification", Map.of("trust_framework", "de_aml"), "claims", Map.of("given_name", "Max")),
            Map.of("verification", Map.of("trust_framework", "eidas"), "claims", Map.of("address", Map.of()))),
            List.of(), true);

    private static AuthorizationRequest request(Client client, String scope, String claims) {
        return new AuthorizationRequest(client, "https://app.example/cb", true, ResponseMode.QUERY, "s", null,
                Scopes.parse(scope), null, Set.of(), null, null, null, ClaimsRequestParser.parse(claims), List.of(),
                Map.of());
    }

    @Test
    void claimsTheRequestedScopesCoverAreNotNamedAgain() {
        List<ConsentClaim> claims = ConsentClaims.of(request(WEB, "openid email",
                "{\"id_token\":{\"email\":{\"essential\":true},\"phone_number\":null,\"auth_time\":null}}"), MAX);

        assertThat(claims).extracting(ConsentClaim::name).containsExactly("phone_number");
    }

    @Test
    void essentialAtEitherTargetMakesTheNamedClaimEssential() {
        List<ConsentClaim> claims = ConsentClaims.of(request(WEB, "openid",
                "{\"id_token\":{\"phone_number\":null},\"userinfo\":{\"phone_number\":{\"essential\":true}}}"), MAX);

        assertThat(claims).containsExactly(new ConsentClaim("phone_number", true, false, List.of(), null));
    }

    @Test
    void aVerifiedClaimNamesTheTrustFrameworkOfTheUsersVerificationThatHoldsIt() {
        List<ConsentClaim> claims = ConsentClaims.of(request(WEB, "openid",
                "{\"userinfo\":{\"verified_claims\":{\"claims\":{\"given_name\":{\"purpose\":\"to greet you\"}}}}}"), MAX);

        assertThat(claims).containsExactly(new ConsentClaim("given_name", false, true, List.of("de_aml"), "to greet you"));
    }

    @Test
    void withoutSuchAVerificationThePageNamesTheFrameworkTheClientDemands() {
        List<ConsentClaim> claims = ConsentClaims.of(request(WEB, "openid", "{\"id_token\":{\"verified_claims\":"
                + "{\"verification\":{\"trust_framework\":{\"values\":[\"uk_tfida\",\"jp_aml\"]}},"
                + "\"claims\":{\"birthdate\":{\"essential\":true}}}}}"), MAX);

        assertThat(claims).containsExactly(new ConsentClaim("birthdate", true, true, List.of("uk_tfida", "jp_aml"), null));
    }

    @Test
    void claimsTheClientsListDoesNotAllowAreNeitherNamedNorAskedFor() {
        Client capped = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
                .scopes(Scopes.of("openid")).claims(Set.of("email")).build();
        AuthorizationRequest request = request(capped, "openid", "{\"id_token\":{\"email\":null,\"phone_number\":null,"
                + "\"verified_claims\":{\"claims\":{\"given_name\":null}}}}");

        assertThat(ConsentClaims.of(request, MAX)).extracting(ConsentClaim::name).containsExactly("email");
        assertThat(ConsentClaims.keys(request)).containsExactly("email");
    }
}
