package dev.tessera.server.bootstrap;

import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.TesseraConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DevModeTest {
    @Test
    void devModeUsesItsOwnStoreAndKeyDirectoryNotTheProductionDefaults() {
        TesseraConfig dev = DevMode.prepare(8080).config();

        assertThat(dev.storage().path().normalize()).isEqualTo(Path.of("data/dev/tessera"))
                .isNotEqualTo(StorageConfig.defaults().path().normalize());
        assertThat(dev.keys().dir().normalize()).isEqualTo(Path.of("keys/dev"))
                .isNotEqualTo(KeysConfig.defaults().dir().normalize());
        // Neither lies inside the other's production default: a production keys.dir of ./keys never
        // loads the dev keys, because KeyDirectory reads only the files directly in it.
        assertThat(dev.storage().path().getParent().normalize()).isNotEqualTo(
                StorageConfig.defaults().path().getParent().normalize());
    }

    @Test
    void devModeTurnsSelfServiceSignUpOnOnLoopbackOnly() {
        TesseraConfig dev = DevMode.prepare(8080).config();

        assertThat(dev.registration().enabled()).isTrue();
        assertThat(dev.http().host()).isEqualTo("127.0.0.1");
        assertThat(TesseraConfig.defaults("https://id.example.com").registration().enabled()).isFalse();
    }

    @Test
    void theDevClientIsRecognisedByItsIdAndItsDevOnlyCallback() {
        Client devClient = ConfigToDomain.toClient(DevMode.prepare(8081).config().clients().get(0), secret -> "x");
        assertThat(DevMode.isDevClient(devClient)).isTrue();

        Client sameIdInProduction = devClient.toBuilder().redirectUris(List.of("https://app.example.com/cb")).build();
        assertThat(DevMode.isDevClient(sameIdInProduction)).isFalse();
        Client otherIdSameCallback = Client.builder("web").redirectUris(devClient.redirectUris().registered()).build();
        assertThat(DevMode.isDevClient(otherIdSameCallback)).isFalse();
    }
}
