package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.domain.client.AccessTokenFormat;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.client.IdJagPolicy;
import dev.tessera.server.domain.client.ResponseEncryption;
import dev.tessera.server.domain.client.SubjectType;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

public interface ClientStoreContract extends StoreFixture {

    private ClientStore clients() {
        return stores().clients();
    }

    private static Client everyFieldSet(String id) {
        return Client.builder(id)
                .name("Example Web App")
                .secretHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g")
                .publicClient(false)
                .redirectUris(List.of("https://app.example/cb", "http://127.0.0.1/native"))
                .postLogoutRedirectUris(List.of("https://app.example/bye"))
                .grantTypes(Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN, GrantTypes.TOKEN_EXCHANGE))
                .scopes(Scopes.of("openid", "email", "api:read"))
                .authMethod(TokenEndpointAuthMethod.PRIVATE_KEY_JWT)
                .jwksUri("https://app.example/jwks.json")
                .jwks("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"x\",\"y\":\"y\"}]}")
                .audience(List.of("https://api.example/", "https://b.example/"))
                .claims(Set.of("email", "groups"))
                .consent(ConsentPolicy.SKIP)
                .accessTokenTtl(Duration.ofMinutes(5))
                .idTokenTtl(Duration.ofMinutes(7))
                .subjectType(SubjectType.PAIRWISE)
                .idTokenSigningAlg("ES256")
                .accessTokenSigningAlg("PS256")
                .idTokenEncryption(new ResponseEncryption("RSA-OAEP-256", "A256GCM", URI.create("https://app.example/jwks")))
                .userinfoSignedResponseAlg("PS256")
                .userinfoEncryption(new ResponseEncryption("ECDH-ES", "A128GCM", URI.create("https://app.example/enc")))
                .introspect(true)
                .idJag(List.of(new IdJagPolicy("https://as.partner.example", "partner-client", List.of("read", "write"),
                        List.of("https://api.partner.example/"), "sso-client", true)))
                .accessTokenFormat(AccessTokenFormat.OPAQUE)
                .sectorIdentifier("https://app.example/sector.json")
                .requirePkce(false)
                .enabled(false)
                .build();
    }

    @Test
    default void upsertRoundTripsEveryField() {
        Client client = everyFieldSet("web-app");

        clients().upsert(client);

        assertThat(clients().find("web-app")).get().usingRecursiveComparison().isEqualTo(client);
    }

    @Test
    default void unsetOverridesStayNullAndEmptyListsStayEmpty() {
        Client client = Client.builder("public-app").publicClient(true).authMethod(TokenEndpointAuthMethod.NONE)
                .secretHash(null).redirectUris(List.of()).scopes(Scopes.empty()).build();

        clients().upsert(client);

        Client found = clients().find("public-app").orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(client);
        assertThat(found.accessTokenTtl()).isNull();
        assertThat(found.idTokenEncryption()).isNull();
        assertThat(found.userinfoSignedResponseAlg()).isNull();
        assertThat(found.userinfoEncryption()).isNull();
        assertThat(found.accessTokenFormat()).isNull();
        assertThat(found.idJag()).isEmpty();
    }

    @Test
    default void upsertReplacesTheClientWithTheSameId() {
        clients().upsert(everyFieldSet("web-app"));
        Client changed = everyFieldSet("web-app").toBuilder().name("Renamed").idTokenEncryption(null)
                .userinfoSignedResponseAlg(null).userinfoEncryption(null)
                .accessTokenTtl(null).redirectUris(List.of("https://new.example/cb")).enabled(true).build();

        clients().upsert(changed);

        assertThat(clients().find("web-app")).get().usingRecursiveComparison().isEqualTo(changed);
        assertThat(clients().list()).hasSize(1);
    }

    @Test
    default void listReturnsEveryClientOrderedById() {
        clients().upsert(everyFieldSet("b-app"));
        clients().upsert(everyFieldSet("a-app"));

        assertThat(clients().list()).extracting(Client::id).containsExactly("a-app", "b-app");
    }

    @Test
    default void removeReportsWhetherAClientWasRemoved() {
        clients().upsert(everyFieldSet("web-app"));

        assertThat(clients().remove("web-app")).isTrue();
        assertThat(clients().remove("web-app")).isFalse();
        assertThat(clients().find("web-app")).isEmpty();
    }

    @Test
    default void unknownClientIsNotFound() {
        assertThat(clients().find("nobody")).isEmpty();
    }
}
