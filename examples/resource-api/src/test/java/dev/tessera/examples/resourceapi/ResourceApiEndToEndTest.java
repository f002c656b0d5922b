package dev.tessera.examples.resourceapi;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Tessera (in-process, H2, port 0) issues the tokens; the example API runs twice on port 0: once
 * verifying JWTs offline against Tessera's JWKS, once introspecting opaque tokens at Tessera's /introspect.
 */
class ResourceApiEndToEndTest {
    private static final String API_AUDIENCE = "https://api.example.test";
    private static final String READER = "reader";
    private static final String READER_SECRET = "reader-secret-0123456789-0123456789-abcd";
    private static final String WRITER = "writer";
    private static final String WRITER_SECRET = "writer-secret-0123456789-0123456789-abcd";
    private static final String OPAQUE_READER = "opaque-reader";
    private static final String OPAQUE_READER_SECRET = "opaque-secret-0123456789-0123456789-abcd";
    private static final String API_CLIENT = "resource-api";
    private static final String API_CLIENT_SECRET = "resource-api-secret-0123456789-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TesseraTestServer tessera;
    private static ResourceApi jwtApi;
    private static ResourceApi introspectingApi;

    @BeforeAll
    static void startTesseraAndBothApis() {
        tessera = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(machineClient(READER, READER_SECRET, List.of("api.read", "api.write")).build());
            clients.add(machineClient(WRITER, WRITER_SECRET, List.of("api.write")).build());
            clients.add(machineClient(OPAQUE_READER, OPAQUE_READER_SECRET, List.of("api.read"))
                    .accessTokenFormat("opaque").build());
            // the API's own client: may introspect any token (SPEC: introspect: true)
            clients.add(machineClient(API_CLIENT, API_CLIENT_SECRET, List.of()).introspect(true).build());
            return config.withClients(clients).withUsers(List.of()); // no users: skips their Argon2 hashing at start
        });
        Map<String, String> jwtMode = new HashMap<>(Map.of(
                ResourceApiSettings.ISSUER, tessera.issuer(),
                ResourceApiSettings.PORT, "0",
                ResourceApiSettings.AUDIENCE, API_AUDIENCE,
                ResourceApiSettings.SCOPE, "api.read"));
        jwtApi = ResourceApi.start(ResourceApiSettings.from(jwtMode::get));

        Map<String, String> introspectionMode = new HashMap<>(jwtMode);
        introspectionMode.put(ResourceApiSettings.INTROSPECTION, "true");
        introspectionMode.put(ResourceApiSettings.CLIENT_ID, API_CLIENT);
        introspectionMode.put(ResourceApiSettings.CLIENT_SECRET, API_CLIENT_SECRET);
        // No cache: the revocation test must see Tessera's answer right after /revoke (the default caches 30 s).
        introspectionMode.put(ResourceApiSettings.INTROSPECTION_CACHE_SECONDS, "0");
        introspectingApi = ResourceApi.start(ResourceApiSettings.from(introspectionMode::get));
    }

    @AfterAll
    static void stopAll() {
        if (introspectingApi != null) {
            introspectingApi.close();
        }
        if (jwtApi != null) {
            jwtApi.close();
        }
        if (tessera != null) {
            tessera.close();
        }
    }

    private static ClientConfig.Builder machineClient(String id, String secret, List<String> scopes) {
        return ClientConfig.builder(id).secret(secret)
                .grantTypes(List.of(ClientConfig.CLIENT_CREDENTIALS))
                .scopes(scopes)
                .audience(List.of(API_AUDIENCE));
    }

    @Test
    void aJwtWithTheRequiredScopeIsAnsweredWithTheCallersSubjectClientIdAndScopes() throws Exception {
        String token = clientCredentialsToken(READER, READER_SECRET);

        ApiResponse response = get(jwtApi, "Bearer " + token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json()).containsEntry("sub", READER).containsEntry("client_id", READER);
        assertThat(response.json().get("scopes")).isEqualTo(List.of("api.read", "api.write"));
    }

    @Test
    void aJwtWithoutTheRequiredScopeIsRefusedWith403InsufficientScopeNamingTheScope() throws Exception {
        String token = clientCredentialsToken(WRITER, WRITER_SECRET);

        ApiResponse response = get(jwtApi, "Bearer " + token);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("WWW-Authenticate"))
                .startsWith("Bearer ")
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"api.read\"");
        assertThat(response.json()).containsEntry("error", "insufficient_scope");
    }

    @Test
    void aRequestWithoutATokenIsRefusedWith401AndAChallengeWithoutAnErrorCode() throws Exception {
        ApiResponse response = get(jwtApi, null);

        assertThat(response.status()).isEqualTo(401);
        // RFC 6750 §3.1: no error attribute when the request carried no credentials
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"resource-api\"");
        assertThat(response.body()).doesNotContain("Exception");
    }

    @Test
    void aJwtIssuedForAnotherAudienceIsRefusedAsAnInvalidToken() throws Exception {
        // The standard test client "service" has no audience setting, so its tokens say aud=service.
        String token = clientCredentialsToken(TesseraTestServer.SERVICE, TesseraTestServer.SERVICE_SECRET);

        ApiResponse response = get(jwtApi, "Bearer " + token);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void aJwtWhosePayloadWasAlteredIsRefusedAsAnInvalidToken() throws Exception {
        String[] parts = clientCredentialsToken(WRITER, WRITER_SECRET).split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"api.write\"", "\"api.read\"");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        ApiResponse response = get(jwtApi, "Bearer " + forged);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void theJwtVerifyingApiRefusesAnOpaqueToken() throws Exception {
        String opaque = clientCredentialsToken(OPAQUE_READER, OPAQUE_READER_SECRET);

        ApiResponse response = get(jwtApi, "Bearer " + opaque);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void anIntrospectedOpaqueTokenIsAcceptedAndRefusedRightAfterItsClientRevokesIt() throws Exception {
        String opaque = clientCredentialsToken(OPAQUE_READER, OPAQUE_READER_SECRET);
        assertThat(opaque).doesNotContain("."); // really opaque, not a JWT

        ApiResponse before = get(introspectingApi, "Bearer " + opaque);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json()).containsEntry("sub", OPAQUE_READER).containsEntry("client_id", OPAQUE_READER);
        assertThat(before.json().get("scopes")).isEqualTo(List.of("api.read"));

        TokenClient.Response revoked = tessera.tokenClient().post("/revoke",
                TokenClient.basic(OPAQUE_READER, OPAQUE_READER_SECRET),
                "token=" + URLEncoder.encode(opaque, StandardCharsets.UTF_8));
        assertThat(revoked.status()).isEqualTo(200);

        ApiResponse after = get(introspectingApi, "Bearer " + opaque);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void anIntrospectedTokenWithoutTheRequiredScopeIsRefusedWith403() throws Exception {
        String token = clientCredentialsToken(WRITER, WRITER_SECRET);

        ApiResponse response = get(introspectingApi, "Bearer " + token);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
    }

    @Test
    void anUnknownTokenIsRefusedByTheIntrospectingApi() throws Exception {
        ApiResponse response = get(introspectingApi, "Bearer tsr_at_not-a-token-tessera-ever-issued");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    private static String clientCredentialsToken(String clientId, String secret) {
        TokenClient.Response response = tessera.tokenClient()
                .token(clientId, secret, Map.of("grant_type", "client_credentials"));
        assertThat(response.status()).as("token response %s", response.json()).isEqualTo(200);
        return response.string("access_token");
    }

    private record ApiResponse(int status, HttpResponse<String> raw, Map<String, Object> json) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String body() {
            return raw.body();
        }
    }

    private static ApiResponse get(ResourceApi api, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + ResourceApi.PROTECTED_PATH)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = response.body().startsWith("{")
                ? JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() { })
                : Map.of();
        return new ApiResponse(response.statusCode(), response, json);
    }
}
