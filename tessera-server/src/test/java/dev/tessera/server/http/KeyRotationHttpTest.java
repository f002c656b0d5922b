package dev.tessera.server.http;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.KeyRotationConfig;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.TesseraTestServer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keys.rotation through HTTP, with the server's clock moved by hand: the next key is in the JWKS before it signs,
 * tokens then switch kid, and the old key stays published until every token it signed has expired.
 */
class KeyRotationHttpTest {
    private static final Duration EVERY = Duration.ofDays(90);
    private static final Duration PRE_PUBLISH = Duration.ofDays(7);
    private static final Duration TOKEN_TTL = Duration.ofMinutes(15); // tokens.accessTokenTtl and idTokenTtl
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static String randomKek() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void theNextKeyIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsTokensHaveExpired() throws Exception {
        try (LogCapture audit = LogCapture.of("tessera.audit");
             TesseraTestServer server = TesseraTestServer.start(config -> config.withKeys(KeysConfig.defaults()
                     .inStore(randomKek()).withRotation(new KeyRotationConfig(EVERY, PRE_PUBLISH))))) {
            String first = kidOf(token(server));
            Instant firstActivatedAt = server.app().keys().current().byKid(first).orElseThrow().activatesAt();
            assertThat(jwksKids(server)).containsExactly(first);

            // prePublish before the first key is `every` old: the next one appears, but does not sign yet.
            server.clock().set(firstActivatedAt.plus(EVERY).minus(PRE_PUBLISH));
            server.app().refreshKeysNow();
            List<String> published = jwksKids(server);
            assertThat(published).hasSize(2).contains(first);
            String second = published.stream().filter(kid -> !kid.equals(first)).findFirst().orElseThrow();
            assertThat(kidOf(token(server))).as("still the first key").isEqualTo(first);
            server.app().refreshKeysNow();
            assertThat(jwksKids(server)).as("made once").hasSize(2);

            // The last token of the first key, a second before the switch; then tokens switch kid.
            Instant switchAt = firstActivatedAt.plus(EVERY);
            server.clock().set(switchAt.minusSeconds(1));
            SignedJWT lastOfFirst = SignedJWT.parse(token(server));
            assertThat(lastOfFirst.getHeader().getKeyID()).isEqualTo(first);
            server.clock().set(switchAt);
            assertThat(kidOf(token(server))).isEqualTo(second);

            // Until that token has expired (plus skew) the first key stays published and the token verifies.
            Instant lastExpiry = lastOfFirst.getJWTClaimsSet().getExpirationTime().toInstant();
            assertThat(lastExpiry).isEqualTo(switchAt.minusSeconds(1).plus(TOKEN_TTL));
            server.clock().set(lastExpiry);
            server.app().refreshKeysNow();
            assertThat(verifiesAgainstJwks(server, lastOfFirst)).isTrue();

            server.clock().set(switchAt.plus(TOKEN_TTL).plus(SKEW));
            server.app().refreshKeysNow();
            assertThat(jwksKids(server)).containsExactly(second);
            assertThat(verifiesAgainstJwks(server, lastOfFirst)).as("its key is gone").isFalse();

            String events = audit.allText();
            assertThat(events).contains("key_generated", "key_published", "key_activated", "key_retired",
                    first, second);
            assertThat(events).doesNotContain("\"d\"", "privateExponent");
        }
    }

    private static String token(TesseraTestServer server) {
        return server.tokenClient().token(TesseraTestServer.SERVICE, TesseraTestServer.SERVICE_SECRET,
                Map.of("grant_type", "client_credentials")).string("access_token");
    }

    private static String kidOf(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    private static JWKSet jwks(TesseraTestServer server) throws Exception {
        return JWKSet.parse(server.tokenClient().get("/.well-known/jwks.json", null).body());
    }

    private static List<String> jwksKids(TesseraTestServer server) throws Exception {
        return jwks(server).getKeys().stream().map(k -> k.getKeyID()).toList();
    }

    private static boolean verifiesAgainstJwks(TesseraTestServer server, SignedJWT token) throws Exception {
        RSAKey key = (RSAKey) jwks(server).getKeyByKeyId(token.getHeader().getKeyID());
        return key != null && token.verify(new RSASSAVerifier(key));
    }
}
