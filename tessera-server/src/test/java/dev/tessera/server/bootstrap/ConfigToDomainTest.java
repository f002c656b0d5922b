package dev.tessera.server.bootstrap;

import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.config.AccountLinkConfig;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.IdJagConfig;
import dev.tessera.server.config.ResponseEncryptionConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.client.AccessTokenFormat;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.client.IdJagPolicy;
import dev.tessera.server.domain.client.ResponseEncryption;
import dev.tessera.server.domain.client.SubjectType;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigToDomainTest {
    private static final Function<String, String> FAKE_SECRET_HASH = secret -> "sha256:" + secret.length();

    /** Records what it was asked to hash; "hashes" by reversing, so tests can tell hash from input. */
    private static final class FakePasswordHasher implements PasswordHasher {
        final List<char[]> received = new ArrayList<>();

        @Override
        public String hash(char[] password) {
            received.add(password);
            return "$argon2id$fake$" + new StringBuilder(new String(password)).reverse();
        }

        @Override
        public boolean verify(char[] password, String phcHash) {
            return false;
        }

        @Override
        public void burnEquivalentTime(char[] password) {
        }
    }

    @Test
    void theSectorOfAClientWithASectorIdentifierUriIsThatUrlsHost() {
        ClientConfig config = ClientConfig.builder("shop").secret("s").subjectType("pairwise")
                .sectorIdentifierUri("https://Sector.Example.com/sector.json")
                .redirectUris(List.of("https://a.example.com/cb", "https://b.example.com/cb")).build();

        assertThat(ConfigToDomain.toClient(config, secret -> "hash").sectorIdentifier()).isEqualTo("sector.example.com");
    }

    @Test
    void mapsEveryClientField() {
        ClientConfig config = ClientConfig.builder("web").name("Example Web App").secret("top-secret")
                .redirectUris(List.of("https://app.example.com/cb"))
                .postLogoutRedirectUris(List.of("https://app.example.com/bye"))
                .grantTypes(List.of("authorization_code", "refresh_token", "client_credentials"))
                .scopes(List.of("openid", "email")).tokenEndpointAuthMethod("client_secret_post")
                .audience(List.of("https://api.example.com")).claims(List.of("email", "name")).consent("skip")
                .accessTokenTtl(Duration.ofMinutes(20)).idTokenTtl(Duration.ofMinutes(3)).subjectType("pairwise")
                .idTokenSigningAlg("ES256").accessTokenSigningAlg("PS256")
                .idTokenEncryption(new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM", "https://app.example.com/jwks"))
                .userinfoSignedResponseAlg("PS256")
                .userinfoEncryption(new ResponseEncryptionConfig("ECDH-ES", "A128GCM", "https://app.example.com/enc"))
                .introspect(true).accessTokenFormat("opaque")
                .build();

        Client client = ConfigToDomain.toClient(config, FAKE_SECRET_HASH);

        assertThat(client.id()).isEqualTo("web");
        assertThat(client.name()).isEqualTo("Example Web App");
        assertThat(client.secretHash()).isEqualTo("sha256:10");
        assertThat(client.publicClient()).isFalse();
        assertThat(client.redirectUris().registered()).containsExactly("https://app.example.com/cb");
        assertThat(client.postLogoutRedirectUris()).containsExactly("https://app.example.com/bye");
        assertThat(client.grantTypes()).containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials");
        assertThat(client.scopes()).isEqualTo(Scopes.of("openid", "email"));
        assertThat(client.authMethod()).isEqualTo(TokenEndpointAuthMethod.CLIENT_SECRET_POST);
        assertThat(client.audience()).containsExactly("https://api.example.com");
        assertThat(client.claims()).containsExactlyInAnyOrder("email", "name");
        assertThat(client.consent()).isEqualTo(ConsentPolicy.SKIP);
        assertThat(client.accessTokenTtl()).isEqualTo(Duration.ofMinutes(20));
        assertThat(client.idTokenTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(client.subjectType()).isEqualTo(SubjectType.PAIRWISE);
        assertThat(client.idTokenSigningAlg()).isEqualTo("ES256");
        assertThat(client.accessTokenSigningAlg()).isEqualTo("PS256");
        assertThat(client.idTokenEncryption()).isEqualTo(
                new ResponseEncryption("RSA-OAEP-256", "A256GCM", URI.create("https://app.example.com/jwks")));
        assertThat(client.userinfoSignedResponseAlg()).isEqualTo("PS256");
        assertThat(client.userinfoEncryption()).isEqualTo(
                new ResponseEncryption("ECDH-ES", "A128GCM", URI.create("https://app.example.com/enc")));
        assertThat(client.introspect()).isTrue();
        assertThat(client.accessTokenFormat()).isEqualTo(AccessTokenFormat.OPAQUE);
        assertThat(client.sectorIdentifier()).isEqualTo("app.example.com");
        assertThat(client.enabled()).isTrue();
    }

    @Test
    void defaultsMapToTheServerDefaults() {
        Client client = ConfigToDomain.toClient(ClientConfig.builder("web").secret("s")
                .redirectUris(List.of("https://app.example.com/cb")).build(), FAKE_SECRET_HASH);

        assertThat(client.accessTokenFormat()).isNull();
        assertThat(client.accessTokenTtl()).isNull();
        assertThat(client.idTokenTtl()).isNull();
        assertThat(client.idTokenEncryption()).isNull();
        assertThat(client.userinfoSignedResponseAlg()).isNull();
        assertThat(client.userinfoEncryption()).isNull();
        assertThat(client.idJag()).isEmpty();
        assertThat(client.scopes()).isEqualTo(Scopes.of("openid"));
        assertThat(client.authMethod()).isEqualTo(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(client.consent()).isEqualTo(ConsentPolicy.REQUIRED);
        assertThat(client.subjectType()).isEqualTo(SubjectType.PUBLIC);
        assertThat(client.idTokenSigningAlg()).isEqualTo("RS256");
        assertThat(client.accessTokenSigningAlg()).isEqualTo("RS256");
    }

    @Test
    void aConfiguredSecretHashIsKeptAsIsAndNeverRehashed() {
        List<String> hashed = new ArrayList<>();
        Client client = ConfigToDomain.toClient(ClientConfig.builder("api").secretHash("stored-hash")
                .grantTypes(List.of("client_credentials")).build(), s -> { hashed.add(s); return "x"; });

        assertThat(client.secretHash()).isEqualTo("stored-hash");
        assertThat(hashed).isEmpty();
    }

    @Test
    void aPublicClientHasNoSecretHash() {
        Client client = ConfigToDomain.toClient(ClientConfig.builder("spa").publicClient(true)
                .redirectUris(List.of("http://127.0.0.1/cb", "com.example.app:/cb")).build(), FAKE_SECRET_HASH);

        assertThat(client.secretHash()).isNull();
        assertThat(client.publicClient()).isTrue();
        assertThat(client.authMethod()).isEqualTo(TokenEndpointAuthMethod.NONE);
        assertThat(client.sectorIdentifier()).isNull();
    }

    @Test
    void idJagEntriesBecomePoliciesWithTheClientIdDefaultingToTheOwnId() {
        ClientConfig config = ClientConfig.builder("agent").secret("s")
                .grantTypes(List.of("urn:ietf:params:oauth:grant-type:token-exchange"))
                .idJag(List.of(
                        new IdJagConfig("https://as.one.example", null, List.of("todo.read"),
                                List.of("https://api.one.example"), null, false),
                        new IdJagConfig("https://as.two.example", "agent-at-two", List.of(), List.of(), "web", true)))
                .build();

        Client client = ConfigToDomain.toClient(config, FAKE_SECRET_HASH);

        assertThat(client.idJag()).containsExactly(
                new IdJagPolicy("https://as.one.example", "agent", List.of("todo.read"),
                        List.of("https://api.one.example"), null, false),
                new IdJagPolicy("https://as.two.example", "agent-at-two", List.of(), List.of(), "web", true));
    }

    @Test
    void verifiedClaimsAsAListReachTheUserAsAList() {
        List<Map<String, Object>> list = List.of(
                Map.of("verification", Map.of("trust_framework", "eidas"), "claims", Map.of("given_name", "A")),
                Map.of("verification", Map.of("trust_framework", "de_aml"), "claims", Map.of("family_name", "B")));

        User user = ConfigToDomain.toUser(UserConfig.builder("alice").passwordHash("$argon2id$x")
                .verifiedClaims(list).build(), new FakePasswordHasher());

        assertThat(user.verifiedClaims()).isEqualTo(list);
        assertThat(user.hasVerifiedClaims()).isTrue();
    }

    @Test
    void aUserPasswordIsHashedWithThePasswordHasherAndTheCharsAreWipedAfterwards() {
        FakePasswordHasher hasher = new FakePasswordHasher();
        UserConfig config = UserConfig.builder("alice").password("secret").roles(List.of("admin"))
                .claims(Map.of("email", "alice@example.com", "email_verified", true))
                .verifiedClaims(Map.of("verification", Map.of("trust_framework", "eidas")))
                .links(List.of(new AccountLinkConfig("https://idp.example", "00u1"))).build();

        User user = ConfigToDomain.toUser(config, hasher);

        assertThat(user.id()).isEqualTo(UserConfig.defaultId("alice"));
        assertThat(user.username()).isEqualTo("alice");
        assertThat(user.passwordHash()).isEqualTo("$argon2id$fake$terces");
        assertThat(user.roles()).containsExactly("admin");
        assertThat(user.claims()).containsEntry("email", "alice@example.com").containsEntry("email_verified", true);
        assertThat(user.verifiedClaims()).isEqualTo(Map.of("verification", Map.of("trust_framework", "eidas")));
        assertThat(user.links()).containsExactly(new AccountLink("https://idp.example", "00u1"));
        assertThat(user.enabled()).isTrue();
        assertThat(hasher.received).singleElement().satisfies(chars -> assertThat(new String(chars)).isEqualTo("\0".repeat(6)));
    }

    @Test
    void aConfiguredPasswordHashIsStoredAsIsWithoutHashing() {
        FakePasswordHasher hasher = new FakePasswordHasher();
        String phc = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g";

        User user = ConfigToDomain.toUser(UserConfig.builder("bob").id("bob-1").passwordHash(phc).build(), hasher);

        assertThat(user.passwordHash()).isEqualTo(phc);
        assertThat(user.id()).isEqualTo("bob-1");
        assertThat(hasher.received).isEmpty();
    }
}
