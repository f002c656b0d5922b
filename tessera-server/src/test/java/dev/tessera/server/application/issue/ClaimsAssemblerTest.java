package dev.tessera.server.application.issue;

import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimsAssemblerTest {
    private static final Client CLIENT = Client.builder("web").redirectUris(List.of("https://app.example/cb"))
            .scopes(Scopes.of("openid")).build();
    private static final ClaimsRequest ASKS_FOR_VERIFIED_CLAIMS = ClaimsRequestParser.parse(
            "{\"userinfo\":{\"verified_claims\":{\"verification\":{\"trust_framework\":null},\"claims\":{\"given_name\":null}}}}");

    private static User userWith(Object verifiedClaims) {
        return new User("u1", "alice", null, List.of(), Map.of(), verifiedClaims, List.of(), true);
    }

    @Test
    void verifiedClaimsGivenAsAnArrayAreReleasedAsAnArray() {
        List<Map<String, Object>> array = List.of(
                Map.of("verification", Map.of("trust_framework", "eidas"), "claims", Map.of("given_name", "A")),
                Map.of("verification", Map.of("trust_framework", "de_aml"), "claims", Map.of("family_name", "B")));

        Map<String, Object> released = new ClaimsAssembler().claimsFor(userWith(array), CLIENT, Scopes.of("openid"),
                ASKS_FOR_VERIFIED_CLAIMS, ClaimsRequest.Target.USERINFO);

        assertThat(released).containsEntry("verified_claims", array);
    }

    @Test
    void aUserWithoutVerifiedClaimsReleasesNone() {
        Map<String, Object> released = new ClaimsAssembler().claimsFor(userWith(Map.of()), CLIENT, Scopes.of("openid"),
                ASKS_FOR_VERIFIED_CLAIMS, ClaimsRequest.Target.USERINFO);

        assertThat(released).doesNotContainKey("verified_claims");
    }
}
