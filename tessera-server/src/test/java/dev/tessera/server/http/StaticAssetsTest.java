package dev.tessera.server.http;

import dev.tessera.server.testsupport.RawHttp;
import dev.tessera.server.testsupport.TesseraTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** /static/: every file the pages link to, byte for byte, revalidated by ETag; nothing else. */
class StaticAssetsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Path SOURCES = Path.of("src/main/resources/static");

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
    void everyFileOfTheStaticDirectoryIsServedByteForByteWithItsType() throws Exception {
        List<Path> files;
        try (Stream<Path> listing = Files.list(SOURCES)) {
            files = listing.sorted().toList();
        }
        assertThat(files).hasSize(3);
        for (Path file : files) {
            HttpResponse<byte[]> response = get("/static/" + file.getFileName(), null);

            assertThat(response.statusCode()).as(file.toString()).isEqualTo(200);
            assertThat(response.body()).as(file.toString()).isEqualTo(Files.readAllBytes(file));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
        assertThat(get("/static/tessera.css", null).headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/css");
        assertThat(get("/static/form-post.js", null).headers().firstValue("Content-Type").orElseThrow())
                .startsWith("text/javascript");
        assertThat(get("/static/favicon.svg", null).headers().firstValue("Content-Type").orElseThrow())
                .isEqualTo("image/svg+xml");
    }

    @Test
    void aCachedCopyIsRevalidatedAndAMatchingTagGets304WithoutABody() throws Exception {
        HttpResponse<byte[]> first = get("/static/tessera.css", null);
        String tag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(tag).matches("\"[A-Za-z0-9_-]{43}\"");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");

        HttpResponse<byte[]> revalidated = get("/static/tessera.css", tag);

        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(revalidated.headers().firstValue("ETag")).hasValue(tag);
        assertThat(get("/static/tessera.css", "\"another\"").statusCode()).isEqualTo(200);
        assertThat(get("/static/favicon.svg", tag).statusCode()).as("each file has its own tag").isEqualTo(200);
    }

    @Test
    void headGivesTheLengthWithoutTheBytes() throws Exception {
        long length = Files.size(SOURCES.resolve("form-post.js"));

        RawHttp.Response head = RawHttp.exchange(server.port(), ("HEAD /static/form-post.js HTTP/1.1\r\nHost: 127.0.0.1"
                + "\r\nConnection: close").getBytes(StandardCharsets.US_ASCII), new byte[0]);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void anyOtherNameOrPathIsNotFoundAndLeaksNothing() throws Exception {
        for (String path : List.of("/static/nothere.css", "/static/", "/static", "/static/../static/tessera.css",
                "/static/%2e%2e%2fdb%2fmigration%2fV1__baseline.sql", "/static/..%2F..%2Flogback.xml",
                "/static/db/migration/V1__baseline.sql", "/static/TESSERA.CSS", "/static/tessera.css%00.js")) {
            RawHttp.Response response = RawHttp.exchange(server.port(), ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1"
                    + "\r\nConnection: close").getBytes(StandardCharsets.US_ASCII), new byte[0]);

            assertThat(response.status()).as(path).isIn(400, 404);
            assertThat(response.body()).as(path).doesNotContain("CREATE TABLE", ":root", "Exception");
        }
        RawHttp.Response post = RawHttp.exchange(server.port(), ("POST /static/tessera.css HTTP/1.1\r\nHost: 127.0.0.1"
                + "\r\nContent-Length: 0\r\nConnection: close").getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertThat(post.status()).isIn(404, 405);
    }

    private static HttpResponse<byte[]> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.issuer() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
