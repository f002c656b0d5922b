package dev.tessera.server.infrastructure.jose;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sector identifier documents: what is read, and what is refused without following it anywhere. */
class SectorDocumentsTest {
    private HttpServer host;
    private final SectorDocuments documents = SectorDocuments.allowingLoopbackHttpForTests();

    @BeforeEach
    void start() throws IOException {
        host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        answer("/sector.json", 200, "[\"https://a.example/cb\", \"https://b.example/cb\"]");
        answer("/moved.json", 302, "[]");
        answer("/broken.json", 500, "oops");
        answer("/numbers.json", 200, "[1, 2]");
        answer("/huge.json", 200, "[\"" + "x".repeat(70 * 1024) + "\"]");
        host.start();
    }

    @AfterEach
    void stop() {
        host.stop(0);
    }

    private void answer(String path, int status, String body) {
        host.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (status == 302) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere.json");
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    private URI at(String path) {
        return URI.create("http://127.0.0.1:" + host.getAddress().getPort() + path);
    }

    @Test
    void theListedRedirectUrisAreRead() throws Exception {
        assertThat(documents.redirectUris(at("/sector.json"))).containsExactly("https://a.example/cb", "https://b.example/cb");
    }

    @Test
    void aRedirectIsNotFollowed() {
        assertThatThrownBy(() -> documents.redirectUris(at("/moved.json"))).hasMessageContaining("HTTP 302");
    }

    @Test
    void errorsAndOddContentAreNamedWithoutTheUrl() {
        assertThatThrownBy(() -> documents.redirectUris(at("/broken.json")))
                .hasMessage("could not be fetched: HTTP 500");
        assertThatThrownBy(() -> documents.redirectUris(at("/numbers.json"))).hasMessageContaining("strings only");
        assertThatThrownBy(() -> documents.redirectUris(at("/huge.json"))).hasMessageContaining("could not be fetched");
    }

    @Test
    void theServerItselfReadsOnlyHttps() {
        assertThatThrownBy(() -> SectorDocuments.httpsOnly().redirectUris(at("/sector.json")))
                .hasMessage("must be an https URL");
        assertThatThrownBy(() -> documents.redirectUris(URI.create("http://127.evil.example/sector.json")))
                .hasMessage("must be an https URL");
    }
}
