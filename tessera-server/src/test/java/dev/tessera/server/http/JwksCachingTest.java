package dev.tessera.server.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.infrastructure.keys.FileKeyRingSource;
import dev.tessera.server.infrastructure.keys.KeyDirectory;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import dev.tessera.server.infrastructure.keys.StoredKey;
import dev.tessera.server.testsupport.RawHttp;
import dev.tessera.server.testsupport.TesseraTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWKS and discovery documents are cacheable: a strong ETag that a client can send back in If-None-Match for
 * a 304, a short public max-age, and a tag that changes exactly when the key ring does.
 */
class JwksCachingTest {
    private static final String JWKS = "/.well-known/jwks.json";
    private static final String DISCOVERY = "/.well-known/openid-configuration";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void jwksHasAStrongEtagAndMayBeCachedPubliclyForFiveMinutes() throws Exception {
        HttpResponse<String> first = get(server, JWKS, null);
        HttpResponse<String> second = get(server, JWKS, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(etag(first)).matches("\"[A-Za-z0-9_-]{43}\"").isEqualTo(etag(second));
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void aMatchingIfNoneMatchGets304WithNoBodyButTheValidatorsAndCaching() throws Exception {
        String tag = etag(get(server, JWKS, null));

        HttpResponse<String> revalidated = get(server, JWKS, tag);

        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(etag(revalidated)).isEqualTo(tag);
        assertThat(revalidated.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    }

    @Test
    void aTagInAListOrInWeakFormAlsoGets304() throws Exception {
        String tag = etag(get(server, JWKS, null));

        assertThat(get(server, JWKS, "\"stale\", " + tag).statusCode()).isEqualTo(304);
        assertThat(get(server, JWKS, "W/" + tag).statusCode()).isEqualTo(304);
        assertThat(get(server, JWKS, "*").statusCode()).isEqualTo(304);
    }

    @Test
    void anOtherOrMalformedTagGetsTheWholePublicKeySet() throws Exception {
        String tag = etag(get(server, JWKS, null));

        for (String header : List.of("\"stale\"", tag.substring(0, tag.length() - 2) + "\"", "garbage", "\"unterminated")) {
            HttpResponse<String> answer = get(server, JWKS, header);
            assertThat(answer.statusCode()).as(header).isEqualTo(200);
            assertPublicOnly(answer.body());
        }
    }

    @Test
    void discoveryHasAnEtagAndAnswers304ToIt() throws Exception {
        HttpResponse<String> document = get(server, DISCOVERY, null);
        String tag = etag(document);

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(tag).matches("\"[A-Za-z0-9_-]{43}\"");
        assertThat(document.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        HttpResponse<String> revalidated = get(server, DISCOVERY, tag);
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(get(server, "/.well-known/oauth-authorization-server", tag).statusCode())
                .as("one document at both paths, one tag").isEqualTo(304);
    }

    @Test
    void headAnswersLikeGetWithoutTheBody() throws Exception {
        for (String path : List.of(JWKS, DISCOVERY, "/.well-known/oauth-authorization-server")) {
            HttpResponse<String> get = get(server, path, null);
            byte[] body = get.body().getBytes(StandardCharsets.UTF_8);

            RawHttp.Response head = head(path, null);

            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path + ": no body on the wire").isEmpty();
            assertThat(head.header("Content-Type")).as(path).isEqualTo(get.headers().firstValue("Content-Type").orElseThrow());
            assertThat(head.header("ETag")).as(path).isEqualTo(etag(get));
            assertThat(head.header("Cache-Control")).as(path).isEqualTo(get.headers().firstValue("Cache-Control").orElseThrow());
            assertThat(head.header("Content-Length")).as(path + ": the length GET would send")
                    .isEqualTo(String.valueOf(body.length));
            assertThat(head.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        }
    }

    @Test
    void headWithAMatchingIfNoneMatchGets304() throws Exception {
        String tag = etag(get(server, JWKS, null));

        RawHttp.Response head = head(JWKS, tag);

        assertThat(head.status()).isEqualTo(304);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("ETag")).isEqualTo(tag);
        assertThat(head.header("Cache-Control")).isEqualTo("public, max-age=300");
    }

    @Test
    void theTagChangesWhenAKeyIsAddedOrRetiredAndAnOldTagGetsTheNewKeys(@TempDir Path keyDir) throws Exception {
        KeyFileWriter writer = new KeyFileWriter(Clock.systemUTC());
        String firstKid = writer.generate(keyDir, JWSAlgorithm.RS256, 2048, Instant.EPOCH).key().kid();
        try (TesseraTestServer own = TesseraTestServer.start(config -> config.withKeys(KeysConfig.defaults().withDir(keyDir)))) {
            FileKeyRingSource ring = (FileKeyRingSource) own.app().keys();
            String oneKeyTag = etag(get(own, JWKS, null));

            // keys rotate: a new key is published before it signs
            String nextKid = writer.generate(keyDir, JWSAlgorithm.RS256, 2048, own.clock().instant().plus(Duration.ofDays(1)))
                    .key().kid();
            assertThat(ring.reloadIfChanged()).isTrue();
            HttpResponse<String> rotated = get(own, JWKS, oneKeyTag);
            assertThat(rotated.statusCode()).as("the old tag no longer matches").isEqualTo(200);
            assertThat(kids(rotated.body())).containsExactlyInAnyOrder(firstKid, nextKid);
            assertPublicOnly(rotated.body());
            String twoKeyTag = etag(rotated);
            assertThat(twoKeyTag).isNotEqualTo(oneKeyTag);
            assertThat(get(own, JWKS, twoKeyTag).statusCode()).isEqualTo(304);

            // keys retire: the pre-published key leaves the set again
            StoredKey next = new KeyDirectory(keyDir).loadPublished().stream()
                    .filter(stored -> stored.key().kid().equals(nextKid)).findFirst().orElseThrow();
            writer.retire(next);
            assertThat(ring.reloadIfChanged()).isTrue();
            HttpResponse<String> retired = get(own, JWKS, twoKeyTag);
            assertThat(retired.statusCode()).isEqualTo(200);
            assertThat(kids(retired.body())).containsExactly(firstKid);
            assertThat(etag(retired)).as("the tag depends on the content only").isEqualTo(oneKeyTag);
        }
    }

    @Test
    void instancesSharingAKeyDirectoryServeTheSameTag(@TempDir Path keyDir) throws Exception {
        new KeyFileWriter(Clock.systemUTC()).generate(keyDir, JWSAlgorithm.RS256, 2048, Instant.EPOCH);
        try (TesseraTestServer a = TesseraTestServer.start(config -> config.withKeys(KeysConfig.defaults().withDir(keyDir)));
             TesseraTestServer b = TesseraTestServer.start(config -> config.withKeys(KeysConfig.defaults().withDir(keyDir)))) {
            String tagAtA = etag(get(a, JWKS, null));

            assertThat(get(b, JWKS, tagAtA).statusCode()).as("a cache revalidating at another instance gets a 304")
                    .isEqualTo(304);
        }
    }

    private static HttpResponse<String> get(TesseraTestServer target, String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.issuer() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RawHttp.Response head(String path, String ifNoneMatch) {
        String request = "HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
                + (ifNoneMatch == null ? "" : "\r\nIf-None-Match: " + ifNoneMatch);
        return RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.US_ASCII), new byte[0]);
    }

    private static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag"));
    }

    private static List<String> kids(String jwks) throws Exception {
        return JWKSet.parse(jwks).getKeys().stream().map(JWK::getKeyID).toList();
    }

    private static void assertPublicOnly(String jwks) throws Exception {
        List<JWK> keys = JWKSet.parse(jwks).getKeys();
        assertThat(keys).isNotEmpty();
        for (JWK key : keys) {
            assertThat(key.isPrivate()).as(key.getKeyID()).isFalse();
            assertThat(key.toJSONObject()).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "oth", "k");
        }
    }
}
