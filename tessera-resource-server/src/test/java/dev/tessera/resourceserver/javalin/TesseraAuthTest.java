package dev.tessera.resourceserver.javalin;

import static dev.tessera.resourceserver.testsupport.TokenMint.AUDIENCE;
import static dev.tessera.resourceserver.testsupport.TokenMint.accessToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.tessera.resourceserver.TokenValidator;
import dev.tessera.resourceserver.testsupport.FakeIssuer;
import dev.tessera.resourceserver.testsupport.TokenMint;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Javalin on a random port, protected by TesseraAuth. */
class TesseraAuthTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger ORDERS_SERVED = new AtomicInteger();
    private static RSAKey key;
    private static FakeIssuer issuer;
    private static TokenValidator validator;
    private static Javalin app;

    @BeforeAll
    static void start() {
        key = TokenMint.rsaKey("k1");
        issuer = new FakeIssuer();
        issuer.publish(key);
        validator = TokenValidator.forJwksUri(issuer.jwksUri()).issuer(issuer.issuer()).audience(AUDIENCE).build();
        app = Javalin.create(c -> {
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            c.routes.before("/api/*", TesseraAuth.using(validator).withRealm("orders"));
            c.routes.before("/api/orders", TesseraAuth.requireScope("orders:read"));
            c.routes.before("/api/admin", TesseraAuth.requireScope("orders:admin"));
            c.routes.get("/api/orders", ctx -> {
                ORDERS_SERVED.incrementAndGet();
                ctx.result("orders of " + TesseraAuth.token(ctx).subject());
            });
            c.routes.get("/api/admin", ctx -> ctx.result("admin"));
            c.routes.get("/unprotected/scoped", ctx -> ctx.result("should not be reached"));
            c.routes.before("/unprotected/scoped", TesseraAuth.requireScope("orders:read"));
            c.routes.get("/health", ctx -> ctx.result("ok"));
        }).start();
    }

    @AfterAll
    static void stop() {
        app.stop();
        validator.close();
        issuer.close();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token() {
        return accessToken(key, issuer.issuer(), Instant.now());
    }

    @Test
    void answers401WithABareChallengeWithoutToken() throws Exception {
        int servedBefore = ORDERS_SERVED.get();

        HttpResponse<String> response = get("/api/orders", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"orders\"");
        assertThat(ORDERS_SERVED.get()).as("the endpoint must not run").isEqualTo(servedBefore);
    }

    @Test
    void answers401InvalidTokenForAForgedToken() throws Exception {
        HttpResponse<String> response = get("/api/orders", "Bearer " + accessToken(TokenMint.rsaKey("k1"), issuer.issuer(), Instant.now()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"orders\", error=\"invalid_token\"");
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.body()).contains("\"error\":\"invalid_token\"");
    }

    @Test
    void answers403InsufficientScopeWhenTheTokenLacksTheRoutesScope() throws Exception {
        HttpResponse<String> response = get("/api/admin", "Bearer " + token());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"", "scope=\"orders:admin\"");
        assertThat(response.body()).doesNotContain("admin\"}").contains("insufficient_scope");
    }

    @Test
    void answers200AndExposesTheTokenWhenTheScopeIsGranted() throws Exception {
        HttpResponse<String> response = get("/api/orders", "Bearer " + token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("orders of user-42");
    }

    @Test
    void failsClosedWhenRequireScopeRunsWithoutTesseraAuth() throws Exception {
        HttpResponse<String> response = get("/unprotected/scoped", "Bearer " + token());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("should not be reached");
    }

    @Test
    void leavesUnprotectedRoutesAlone() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }
}
