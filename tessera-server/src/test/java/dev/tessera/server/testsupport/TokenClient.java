package dev.tessera.server.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Plain HTTP calls to the JSON endpoints, returning status, headers and the parsed body. */
public final class TokenClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    // A hung server fails the test instead of hanging the build.
    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(60);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    TokenClient(URI base) {
        this.base = base;
    }

    /** For a server this JVM did not start (e.g. a tessera.jar process); {@code issuer} without a trailing slash. */
    public static TokenClient forIssuer(String issuer) {
        return new TokenClient(URI.create(issuer + "/"));
    }

    /** A response with its JSON body parsed (empty map when the body is not a JSON object). */
    public record Response(int status, Map<String, String> headers, Map<String, Object> json, String body) {
        public String string(String member) {
            Object value = json.get(member);
            return value == null ? null : value.toString();
        }

        public String error() {
            return string("error");
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    public static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    public Response token(String clientId, String secret, Map<String, String> form) {
        return post("/token", basic(clientId, secret), UserAgent.encode(form));
    }

    /** POST /token with client_secret_basic, a body that may repeat fields, and extra headers (e.g. DPoP). */
    public Response token(String clientId, String secret, Form form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/token"))
                .POST(HttpRequest.BodyPublishers.ofString(form.encode()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic(clientId, secret));
        headers.forEach(request::header);
        return send(request.build());
    }

    public Response token(String clientId, String secret, Form form) {
        return token(clientId, secret, form, Map.of());
    }

    public Response tokenRaw(String authorization, String body) {
        return post("/token", authorization, body);
    }

    public Response post(String path, String authorization, String body) {
        return post(path, authorization, "application/x-www-form-urlencoded", body);
    }

    public Response post(String path, String authorization, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    public Response get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(", ", v)));
            Map<String, Object> json;
            try {
                json = JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
            } catch (IOException notJson) {
                json = Map.of();
            }
            return new Response(response.statusCode(), headers, json == null ? Map.of() : json, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
