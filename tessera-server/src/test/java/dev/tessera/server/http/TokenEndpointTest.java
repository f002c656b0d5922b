package dev.tessera.server.http;

import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.SPA;
import static dev.tessera.server.testsupport.TesseraTestServer.SPA_REDIRECT;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /token: client authentication, the response's shape and headers, and grant-level errors. */
class TokenEndpointTest {
    static final String POST_CLIENT = "post-client";
    static final String POST_SECRET = "post-secret-0123456789-0123456789-abcdef";
    static final String POST_REDIRECT = "https://post.example.test/callback";
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64, so these characters must survive.
    static final String ODD_CLIENT = "odd:client +%id";
    static final String ODD_SECRET = "s3cret:with+plus %25percent and spaces 0123456789";
    // RFC 6749 Appendix A.17: refresh-token = 1*VSCHAR
    static final String VSCHAR = "[\\x20-\\x7E]+";

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(POST_CLIENT).secret(POST_SECRET)
                    .tokenEndpointAuthMethod(ClientConfig.AUTH_CLIENT_SECRET_POST)
                    .grantTypes(List.of("authorization_code", "refresh_token", "client_credentials"))
                    .redirectUris(List.of(POST_REDIRECT)).scopes(List.of("openid", "api.read")).build());
            clients.add(ClientConfig.builder(ODD_CLIENT).secret(ODD_SECRET)
                    .grantTypes(List.of("client_credentials")).scopes(List.of("api.read")).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenClient.Response clientCredentials(String authorization, Map<String, String> form) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "client_credentials");
        body.putAll(form);
        return server.tokenClient().tokenRaw(authorization, UserAgent.encode(body));
    }

    @Test
    void clientSecretBasicAuthenticatesAClientRegisteredForIt() {
        TokenClient.Response response = TokenFlows.signIn(server).authorize().redeem(WEB_SECRET);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.string("access_token")).isNotBlank();
    }

    @Test
    void clientSecretPostAuthenticatesAClientRegisteredForIt() {
        TokenFlows.Authorized code = TokenFlows.signIn(server).client(POST_CLIENT, POST_REDIRECT).authorize();
        Map<String, String> form = code.form();
        form.put("client_id", POST_CLIENT);
        form.put("client_secret", POST_SECRET);

        TokenClient.Response response = server.tokenClient().post("/token", null, UserAgent.encode(form));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.string("id_token")).isNotBlank();
    }

    @Test
    void aClientRegisteredForClientSecretPostCannotSwitchToBasic() {
        TokenClient.Response response = clientCredentials(TokenClient.basic(POST_CLIENT, POST_SECRET), Map.of());

        assertOAuthError(response, 401, "invalid_client");
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void aClientRegisteredForClientSecretBasicCannotSwitchToPost() {
        TokenClient.Response response = clientCredentials(null,
                Map.of("client_id", SERVICE, "client_secret", SERVICE_SECRET));

        assertOAuthError(response, 401, "invalid_client");
    }

    @Test
    void basicCredentialsAreFormUrlEncodedBeforeBase64() {
        TokenClient.Response response = clientCredentials(TokenClient.basic(ODD_CLIENT, ODD_SECRET), Map.of());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(TokenFlows.claims(response.string("access_token")).getSubject()).isEqualTo(ODD_CLIENT);
    }

    @Test
    void basicCredentialsThatWereNotFormUrlEncodedAreRejected() {
        // Without encoding, the first ':' of the client id ends it and '+' / '%25' decode to something else.
        String raw = ODD_CLIENT + ":" + ODD_SECRET;
        String header = "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));

        TokenClient.Response response = clientCredentials(header, Map.of());

        assertOAuthError(response, 401, "invalid_client");
    }

    @Test
    void aWrongSecretIsInvalidClientWith401AndABasicChallenge() {
        TokenClient.Response response = clientCredentials(TokenClient.basic(SERVICE, SERVICE_SECRET + "x"), Map.of());

        assertOAuthError(response, 401, "invalid_client");
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic").contains("realm=");
    }

    @Test
    void anUnknownClientGetsTheSameAnswerAsAWrongSecret() {
        TokenClient.Response wrongSecret = clientCredentials(TokenClient.basic(SERVICE, "not-the-secret"), Map.of());
        TokenClient.Response unknown = clientCredentials(TokenClient.basic("no-such-client", "not-the-secret"), Map.of());

        assertOAuthError(unknown, 401, "invalid_client");
        assertThat(unknown.header("WWW-Authenticate")).isEqualTo(wrongSecret.header("WWW-Authenticate"));
        assertThat(unknown.json()).isEqualTo(wrongSecret.json());
    }

    @Test
    void basicCredentialsPlusAClientSecretInTheBodyIsInvalidRequest() {
        TokenClient.Response response = clientCredentials(TokenClient.basic(SERVICE, SERVICE_SECRET),
                Map.of("client_secret", SERVICE_SECRET));

        assertOAuthError(response, 400, "invalid_request");
    }

    @Test
    void aPublicClientRedeemsACodeWithItsClientIdAlone() {
        TokenClient.Response response = TokenFlows.signIn(server).client(SPA, SPA_REDIRECT)
                .scope("openid offline_access").authorize().redeemAsPublicClient();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.string("access_token")).isNotBlank();
        assertThat(response.string("refresh_token")).isNotBlank();
    }

    @Test
    void aPublicClientRefreshesWithItsClientIdAlone() {
        TokenClient.Response first = TokenFlows.signIn(server).client(SPA, SPA_REDIRECT)
                .scope("openid offline_access").authorize().redeemAsPublicClient();
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        TokenClient.Response refreshed = server.tokenClient().post("/token", null, UserAgent.encode(Map.of(
                "grant_type", "refresh_token", "refresh_token", first.string("refresh_token"), "client_id", SPA)));

        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.string("refresh_token")).isNotBlank().isNotEqualTo(first.string("refresh_token"));
    }

    @Test
    void aPublicClientMayNotUseClientCredentials() {
        TokenClient.Response response = clientCredentials(null, Map.of("client_id", SPA));

        assertOAuthError(response, 400, "unauthorized_client");
    }

    @Test
    void aPublicClientThatSendsASecretIsRejected() {
        TokenClient.Response response = server.tokenClient().post("/token", null, UserAgent.encode(Map.of(
                "grant_type", "refresh_token", "refresh_token", "whatever", "client_id", SPA, "client_secret", "guess")));

        assertOAuthError(response, 401, "invalid_client");
    }

    @Test
    void aSuccessfulResponseCarriesAccessTokenBearerTypeExpiryIdTokenAndScope() {
        TokenClient.Response response = TokenFlows.signIn(server).scope("openid profile").tokens();

        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.string("access_token")).isNotBlank();
        assertThat(response.string("token_type")).isEqualTo("Bearer");
        assertThat(response.json().get("expires_in")).isInstanceOf(Number.class);
        assertThat(((Number) response.json().get("expires_in")).longValue()).isEqualTo(900);
        assertThat(response.string("id_token")).isNotBlank();
        assertThat(TokenFlows.scopeSet(response.string("scope"))).containsExactlyInAnyOrder("openid", "profile");
    }

    @Test
    void noRefreshTokenIsIssuedWithoutOfflineAccess() {
        TokenClient.Response response = TokenFlows.signIn(server).scope("openid email").tokens();

        assertThat(response.json()).doesNotContainKey("refresh_token");
    }

    @Test
    void aRefreshTokenIsIssuedForOfflineAccessAndUsesOnlyVisibleAsciiCharacters() {
        TokenClient.Response response = TokenFlows.signIn(server).scope("openid offline_access").tokens();

        assertThat(response.string("refresh_token")).isNotBlank().matches(VSCHAR);
    }

    @Test
    void noIdTokenIsIssuedWithoutTheOpenidScope() {
        TokenClient.Response response = TokenFlows.signIn(server).scope("profile").tokens();

        assertThat(response.json()).doesNotContainKey("id_token");
        assertThat(response.string("access_token")).isNotBlank();
    }

    @Test
    void aSuccessfulResponseIsNeverCached() {
        TokenClient.Response response = TokenFlows.signIn(server).tokens();

        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Pragma")).isEqualTo("no-cache");
    }

    @Test
    void anErrorResponseIsNeverCached() {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET,
                Map.of("grant_type", "authorization_code", "code", "no-such-code"));

        assertOAuthError(response, 400, "invalid_grant"); // checks Cache-Control and Pragma too
    }

    @Test
    void anUnknownGrantTypeIsUnsupportedGrantType() {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "password",
                "username", "alice", "password", "x"));

        assertOAuthError(response, 400, "unsupported_grant_type");
    }

    @Test
    void aMissingGrantTypeIsInvalidRequest() {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET, Map.of("code", "abc"));

        assertOAuthError(response, 400, "invalid_request");
        assertThat(response.string("error_description")).contains("grant_type");
    }

    @Test
    void aClientNotRegisteredForClientCredentialsIsUnauthorizedClient() {
        TokenClient.Response response = clientCredentials(TokenClient.basic(WEB, WEB_SECRET), Map.of());

        assertOAuthError(response, 400, "unauthorized_client");
    }

    @Test
    void aClientNotRegisteredForAuthorizationCodeIsUnauthorizedClient() {
        TokenClient.Response response = server.tokenClient().token(SERVICE, SERVICE_SECRET,
                Map.of("grant_type", "authorization_code", "code", "abc", "redirect_uri", "https://x.example/cb"));

        assertOAuthError(response, 400, "unauthorized_client");
    }

    @Test
    void aRequestWithoutAnyClientAuthenticationIsInvalidClient() {
        TokenClient.Response response = server.tokenClient().post("/token", null,
                UserAgent.encode(Map.of("grant_type", "authorization_code", "code", "abc")));

        assertOAuthError(response, 401, "invalid_client");
        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
    }
}
