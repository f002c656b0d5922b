package dev.tessera.server.infrastructure.jose;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.server.application.port.ClientKeySource;
import dev.tessera.server.application.port.PublishedKeys.Lookup;
import dev.tessera.server.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache of other parties' keys: what is fetched when, and what is never believed. */
class CachedJwksTest {
    private final MutableClock clock = MutableClock.startingNow();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<String> published = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer partner;
    private URI jwksUri;
    private CachedJwks keys;

    @BeforeEach
    void startPartner() throws IOException {
        partner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        partner.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
            if (status.get() != 200) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere.json");
            }
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        partner.start();
        jwksUri = URI.create("http://127.0.0.1:" + partner.getAddress().getPort() + "/jwks.json");
        keys = new CachedJwks(clock);
    }

    @AfterEach
    void stopPartner() {
        partner.stop(0);
    }

    private static ECKey newKey(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }

    private void publish(JWK... jwks) {
        published.set(new JWKSet(List.of(jwks)).toString(false));
    }

    @Test
    void aKnownKidIsServedFromTheCacheWithoutAnotherFetch() throws Exception {
        publish(newKey("k1"));

        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Found.class);
        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Found.class);

        assertThat(fetches).hasValue(1);
    }

    @Test
    void onlyPublicPartsAreKeptEvenWhenThePartnerPublishesPrivateOnes() throws Exception {
        // a careless partner publishes its private key too (toString(false) keeps "d")
        published.set(new JWKSet(newKey("k1")).toString(false));

        Lookup lookup = keys.find(jwksUri, "k1");

        assertThat(((Lookup.Found) lookup).keys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
    }

    @Test
    void anUnknownKidRefetchesAtMostOnceAMinute() throws Exception {
        publish(newKey("k1"));
        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Found.class);
        clock.advance(Duration.ofMinutes(1));

        assertThat(keys.find(jwksUri, "forged-1")).isInstanceOf(Lookup.Unknown.class);
        assertThat(keys.find(jwksUri, "forged-2")).isInstanceOf(Lookup.Unknown.class);
        clock.advance(Duration.ofSeconds(59));
        assertThat(keys.find(jwksUri, "forged-3")).isInstanceOf(Lookup.Unknown.class);
        assertThat(fetches).hasValue(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.find(jwksUri, "forged-4")).isInstanceOf(Lookup.Unknown.class);
        assertThat(fetches).hasValue(3);
    }

    @Test
    void aRotatedPartnerKeyIsFoundByTheRefetchItsUnknownKidTriggers() throws Exception {
        publish(newKey("k1"));
        keys.find(jwksUri, "k1");
        clock.advance(Duration.ofMinutes(2));
        publish(newKey("k1"), newKey("k2"));

        assertThat(keys.find(jwksUri, "k2")).isInstanceOf(Lookup.Found.class);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void theLastGoodKeysServeWhileThePartnerIsDown() throws Exception {
        publish(newKey("k1"));
        keys.find(jwksUri, "k1");
        partner.stop(0);
        clock.advance(Duration.ofMinutes(10)); // stale: a refetch is tried and fails

        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Found.class);
    }

    @Test
    void aPartnerThatNeverAnsweredIsUnavailableAndAskedAgainOnlyAfterTenSeconds() throws Exception {
        publish(newKey("k1"));
        status.set(500);

        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Unavailable.class);
        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Unavailable.class);
        assertThat(fetches).hasValue(1);

        status.set(200);
        clock.advance(CachedJwks.RETRY_AFTER_FAILURE);
        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Found.class);
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        publish(newKey("k1"));
        status.set(302);

        assertThat(keys.find(jwksUri, "k1")).isInstanceOf(Lookup.Unavailable.class);
    }

    @Test
    void symmetricKeysInTheJwksAreIgnored() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("hmac").generate();
        publish(secret, newKey("k1"));

        assertThat(keys.find(jwksUri, "hmac")).isInstanceOf(Lookup.Unknown.class);
        assertThat(((Lookup.Found) keys.find(jwksUri, null)).keys()).extracting(JWK::getKeyID).containsExactly("k1");
    }

    @Test
    void everyKeyIsServedForChoosingAnEncryptionKey() throws Exception {
        publish(newKey("enc-1"), newKey("enc-2"));

        assertThat(keys.keys(jwksUri)).extracting(JWK::getKeyID).containsExactlyInAnyOrder("enc-1", "enc-2");
    }

    @Test
    void encryptionKeysBehindARedirectAreUnavailableNotFollowed() throws Exception {
        publish(newKey("enc-1"));
        status.set(302);

        assertThatThrownBy(() -> keys.keys(jwksUri)).isInstanceOf(ClientKeySource.KeysUnavailableException.class);
    }
}
