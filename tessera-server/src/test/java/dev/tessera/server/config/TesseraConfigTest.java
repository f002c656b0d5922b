package dev.tessera.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TesseraConfigTest {

    @Test
    void withCopiesChangeOnlyTheirOwnSection() {
        TesseraConfig base = TesseraConfig.defaults("http://127.0.0.1:8080");
        ClientConfig client = ClientConfig.builder("demo").publicClient(true)
                .redirectUris(List.of("http://127.0.0.1:9000/cb")).build();
        UserConfig user = UserConfig.builder("demo").password("demo-password-1").build();

        TesseraConfig dev = base.withClients(List.of(client)).withUsers(List.of(user))
                .withStorage(StorageConfig.h2(Path.of("./data/dev")))
                .withKeys(KeysConfig.defaults().withGenerate(true))
                .withHttp(new HttpConfig("127.0.0.1", 0))
                .withRegistration(new RegistrationConfig(true));

        assertThat(dev.clients()).containsExactly(client);
        assertThat(dev.users()).containsExactly(user);
        assertThat(dev.storage().path()).isEqualTo(Path.of("./data/dev"));
        assertThat(dev.keys().generate()).isTrue();
        assertThat(dev.http().port()).isZero();
        assertThat(dev.registration().enabled()).isTrue();
        assertThat(dev.issuer()).isEqualTo(base.issuer());
        assertThat(dev.tokens()).isEqualTo(base.tokens());
        assertThat(base.clients()).isEmpty();
        assertThat(ConfigValidator.validate(dev)).isEmpty();
    }

    @Test
    void listsAreCopiedSoTheConfigCannotChangeAfterwards() {
        List<ClientConfig> clients = new ArrayList<>();
        TesseraConfig config = TesseraConfig.defaults("https://id.example.com").withClients(clients);
        clients.add(ClientConfig.builder("late").build());

        assertThat(config.clients()).isEmpty();
        assertThatThrownBy(() -> config.clients().add(ClientConfig.builder("x").build()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aPublicClientBuiltInCodeDefaultsToAuthMethodNone() {
        assertThat(ClientConfig.builder("spa").publicClient(true).build().tokenEndpointAuthMethod()).isEqualTo("none");
        assertThat(ClientConfig.builder("web").build().tokenEndpointAuthMethod()).isEqualTo("client_secret_basic");
    }

    @Test
    void toBuilderKeepsEveryField() {
        ClientConfig client = ClientConfig.builder("web").name("Web").secret("s").scopes(List.of("openid", "email"))
                .consent("skip").introspect(true).accessTokenFormat("opaque")
                .idJag(List.of(new IdJagConfig("https://as.example", null, List.of(), List.of(), null, true))).build();

        assertThat(client.toBuilder().build()).isEqualTo(client);
    }

    @Test
    void toStringNeverShowsSecrets() {
        TesseraConfig config = TesseraConfig.defaults("https://id.example.com")
                .withStorage(StorageConfig.postgres("jdbc:postgresql://db/t", "tessera", "db-secret-pw"))
                .withSubjects(new SubjectsConfig("salt-secret"))
                .withClients(List.of(ClientConfig.builder("web").secret("client-secret-value").build(),
                        ClientConfig.builder("api").secretHash("hash-secret-value").build()))
                .withUsers(List.of(UserConfig.builder("alice").password("alice-secret-pw")
                        .claims(Map.of("ssn", "claim-secret-value")).build()));

        assertThat(config.toString()).contains("web", "alice", "[redacted]")
                .doesNotContain("db-secret-pw", "salt-secret", "client-secret-value", "hash-secret-value",
                        "alice-secret-pw", "claim-secret-value");
    }
}
