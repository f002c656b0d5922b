package dev.tessera.server.infrastructure.jose;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.server.application.port.ClientKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Clients' JWKS for ID token encryption: fetched from the registered URL only. */
class NimbusClientKeySourceTest {
    private HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.ENCRYPTION).keyID("enc").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", base() + "/jwks");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void keysAreFetchedFromTheRegisteredUrl() {
        assertThat(new NimbusClientKeySource().keys(URI.create(base() + "/jwks"))).hasSize(1);
    }

    @Test
    void aRedirectIsAFailedFetchNotFollowed() {
        // The registered jwks_uri is what the client vouched for; a redirect could point anywhere.
        assertThatThrownBy(() -> new NimbusClientKeySource().keys(URI.create(base() + "/moved")))
                .isInstanceOf(ClientKeySource.KeysUnavailableException.class);
        assertThat(jwksFetches).hasValue(0);
    }
}
