package dev.tessera.resourceserver.testsupport;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in authorization server on 127.0.0.1 and a random port: serves a JWKS that tests can
 * change, discovery metadata and an introspection endpoint, and counts the requests to each.
 */
public final class FakeIssuer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private volatile List<JWK> publishedKeys = List.of();
    private volatile String metadataIssuer;
    private volatile boolean openidConfigurationServed = true;
    private volatile Function<String, String> introspectionAnswer = token -> "{\"active\":false}";
    private volatile int introspectionStatus = 200;
    private final List<String> introspectionAuthorizations = new CopyOnWriteArrayList<>();
    private final List<String> introspectionBodies = new CopyOnWriteArrayList<>();

    public FakeIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks", exchange -> answer(exchange, "jwks", 200, new JWKSet(publishedKeys).toString(true)));
        server.createContext("/.well-known/openid-configuration", exchange -> answer(exchange, "openid-configuration",
                openidConfigurationServed ? 200 : 404, metadata()));
        server.createContext("/.well-known/oauth-authorization-server", exchange -> answer(exchange, "oauth-authorization-server",
                200, metadata()));
        server.createContext("/introspect", exchange -> {
            introspectionAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            introspectionBodies.add(body);
            answer(exchange, "introspect", introspectionStatus, introspectionAnswer.apply(body));
        });
        server.start();
        metadataIssuer = issuer();
    }

    private String metadata() {
        return "{\"issuer\":\"" + metadataIssuer + "\",\"jwks_uri\":\"" + jwksUri() + "\"}";
    }

    /** Serves only RFC 8414 metadata, like a plain OAuth server without OpenID Connect. */
    public void withoutOpenidConfiguration() {
        openidConfigurationServed = false;
    }

    private void answer(HttpExchange exchange, String counter, int status, String json) throws IOException {
        hits.computeIfAbsent(counter, k -> new AtomicInteger()).incrementAndGet();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public URI jwksUri() {
        return URI.create(issuer() + "/jwks");
    }

    public URI introspectionUri() {
        return URI.create(issuer() + "/introspect");
    }

    /** Publishes the public halves of these keys. */
    public void publish(JWK... keys) {
        publishedKeys = java.util.Arrays.stream(keys).map(JWK::toPublicJWK).toList();
    }

    public void metadataNamesIssuer(String issuer) {
        metadataIssuer = issuer;
    }

    public void answerIntrospection(int status, Function<String, String> answerForRequestBody) {
        introspectionStatus = status;
        introspectionAnswer = answerForRequestBody;
    }

    public int hits(String counter) {
        AtomicInteger count = hits.get(counter);
        return count == null ? 0 : count.get();
    }

    public int jwksFetches() {
        return hits("jwks");
    }

    public List<String> introspectionAuthorizations() {
        return introspectionAuthorizations;
    }

    public List<String> introspectionBodies() {
        return introspectionBodies;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
