package dev.tessera.server.bootstrap;

import dev.tessera.server.config.HttpConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP listener starts on its own thread while the store opens; when it cannot (the port is taken), the start
 * fails with that reason and releases what the main thread opened meanwhile: the embedded store, which only one
 * process may hold, is free for the next start.
 */
class ListenerStartFailureTest {
    @TempDir
    Path dir;

    @Test
    void aStartWhosePortIsTakenFailsAndLeavesTheStoreToTheNextStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TesseraConfig config = on(taken.getLocalPort());

            assertThatThrownBy(() -> TesseraApp.start(config, Clock.systemUTC()))
                    .isInstanceOf(RuntimeException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }

        try (TesseraApp again = TesseraApp.start(on(0), Clock.systemUTC())) {
            assertThat(again.port()).isPositive();
            assertThat(again.stores().clients().find(TesseraTestServer.SERVICE)).isPresent();
        }
    }

    private TesseraConfig on(int port) {
        TesseraConfig standard = TesseraTestServer.standard("http://127.0.0.1:" + port, dir);
        return standard.withHttp(new HttpConfig("127.0.0.1", port, standard.http().trustedProxies()));
    }
}
