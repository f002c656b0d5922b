package dev.tessera.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ConfigException;
import dev.tessera.server.config.SubjectsConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.TokenExchangeConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pairwise subjects everywhere (OIDC Core §8.1, SPEC §5): a pairwise client's access token, ID token, userinfo
 * and introspection answer all carry one pairwise sub and never the user's own id or username; the sector is
 * the host of its sectorIdentifierUri (whose document must list every redirect URI) or of its redirect URIs.
 */
class PairwiseTest {
    private static final String SECRET = "pairwise-client-secret-0123456789-01234";
    private static final String A = "pw-a";
    private static final String A_REDIRECT = "https://a.example.test/callback";
    private static final String B = "pw-b";
    private static final String B_REDIRECT = "https://b.example.test/callback";
    private static final String C = "pw-c";
    private static final String C_REDIRECT = "https://c.example.test/callback";
    private static final String SCOPE = "openid profile email offline_access";

    static HttpServer sectorHost;
    static TesseraTestServer server;
    static String aliceId;

    @BeforeAll
    static void start() {
        sectorHost = serve(Map.of("/sector.json", "[\"" + A_REDIRECT + "\", \"" + B_REDIRECT + "\"]",
                "/only-a.json", "[\"" + A_REDIRECT + "\"]", "/not-a-list.json", "{\"redirect_uris\": []}"));
        server = TesseraTestServer.startAllowingLoopbackHttpFetches(config -> withPairwiseClients(config,
                sectorUri("/sector.json")));
        aliceId = server.app().stores().users().findByUsername(ALICE).orElseThrow().id();
    }

    @AfterAll
    static void stop() {
        server.close();
        sectorHost.stop(0);
    }

    private static TesseraConfig withPairwiseClients(TesseraConfig config, String sectorUri) {
        List<ClientConfig> clients = new ArrayList<>(config.clients());
        // A and B share the sector of their sectorIdentifierUri; B issues opaque access tokens.
        clients.add(pairwise(A, A_REDIRECT).sectorIdentifierUri(sectorUri).build());
        clients.add(pairwise(B, B_REDIRECT).sectorIdentifierUri(sectorUri).accessTokenFormat("opaque").build());
        clients.add(pairwise(C, C_REDIRECT).build());
        return config.withClients(clients).withSubjects(new SubjectsConfig("pairwise-test-salt"))
                .withTokenExchange(new TokenExchangeConfig(List.of(TokenExchangeConfig.ACCESS_TOKEN)));
    }

    private static ClientConfig.Builder pairwise(String id, String redirect) {
        return ClientConfig.builder(id).secret(SECRET).subjectType("pairwise").redirectUris(List.of(redirect))
                .grantTypes(List.of("authorization_code", "refresh_token", ClientConfig.TOKEN_EXCHANGE))
                .scopes(List.of("openid", "profile", "email", "offline_access"));
    }

    private static HttpServer serve(Map<String, String> documents) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            documents.forEach((path, json) -> http.createContext(path, exchange -> {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }));
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sectorUri(String path) {
        return "http://127.0.0.1:" + sectorHost.getAddress().getPort() + path;
    }

    private static TokenClient.Response signIn(String client, String redirect) {
        return TokenFlows.signIn(server).client(client, redirect).scope(SCOPE).tokens(SECRET);
    }

    private static TokenClient.Response introspect(String client, String token) {
        return server.tokenClient().post("/introspect", TokenClient.basic(client, SECRET), "token=" + token);
    }

    private static String idTokenSub(TokenClient.Response tokens) {
        return TokenFlows.claims(tokens.string("id_token")).getSubject();
    }

    @Test
    void theAccessTokenIdTokenUserinfoAndIntrospectionCarryTheSamePairwiseSub() {
        TokenClient.Response tokens = signIn(A, A_REDIRECT);
        String accessToken = tokens.string("access_token");
        String sub = idTokenSub(tokens);

        JWTClaimsSet accessClaims = TokenFlows.claims(accessToken);
        TokenClient.Response userInfo = TokenFlows.userInfo(server, accessToken);
        TokenClient.Response introspection = introspect(A, accessToken);

        assertThat(sub).isNotBlank().isNotEqualTo(aliceId);
        assertThat(accessClaims.getSubject()).isEqualTo(sub);
        assertThat(userInfo.status()).as(userInfo.body()).isEqualTo(200);
        assertThat(userInfo.string("sub")).isEqualTo(sub);
        assertThat(introspection.json()).containsEntry("active", true).containsEntry("sub", sub)
                .doesNotContainKey("username");
        // Resource servers see only the pairwise value: the local id is nowhere in what they can read.
        assertThat(accessClaims.toString()).doesNotContain(aliceId);
        assertThat(introspection.body()).doesNotContain(aliceId).doesNotContain(ALICE);
    }

    @Test
    void anOpaqueAccessTokenIntrospectsToThePairwiseSubAndStillReachesUserinfo() {
        TokenClient.Response tokens = signIn(B, B_REDIRECT);
        String accessToken = tokens.string("access_token");

        TokenClient.Response introspection = introspect(B, accessToken);

        assertThat(introspection.json()).containsEntry("active", true).containsEntry("sub", idTokenSub(tokens))
                .doesNotContainKey("username");
        assertThat(introspection.body()).doesNotContain(aliceId);
        assertThat(TokenFlows.userInfo(server, accessToken).string("sub")).isEqualTo(idTokenSub(tokens));
    }

    @Test
    void aRefreshTokenIntrospectsToThePairwiseSubWithoutUsername() {
        TokenClient.Response tokens = signIn(A, A_REDIRECT);

        TokenClient.Response introspection = introspect(A, tokens.string("refresh_token"));

        assertThat(introspection.json()).containsEntry("active", true).containsEntry("sub", idTokenSub(tokens))
                .doesNotContainKey("username");
    }

    @Test
    void refreshedAccessTokensKeepThePairwiseSub() {
        TokenClient.Response tokens = signIn(A, A_REDIRECT);

        TokenClient.Response refreshed = TokenFlows.refresh(server, A, SECRET, tokens.string("refresh_token"));

        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(TokenFlows.claims(refreshed.string("access_token")).getSubject()).isEqualTo(idTokenSub(tokens));
        assertThat(TokenFlows.userInfo(server, refreshed.string("access_token")).string("sub"))
                .isEqualTo(idTokenSub(tokens));
    }

    @Test
    void clientsOfOneSectorSeeTheSameSubAndOtherSectorsAnother() {
        String a = idTokenSub(signIn(A, A_REDIRECT));
        String b = idTokenSub(signIn(B, B_REDIRECT));
        String c = idTokenSub(signIn(C, C_REDIRECT));

        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a).isNotEqualTo(aliceId);
    }

    @Test
    void aRevokedPairwiseAccessTokenNoLongerReachesUserinfo() {
        String accessToken = signIn(A, A_REDIRECT).string("access_token");

        TokenClient.Response revoked = server.tokenClient().post("/revoke", TokenClient.basic(A, SECRET),
                "token=" + accessToken);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(TokenFlows.userInfo(server, accessToken).status()).isEqualTo(401);
        assertThat(introspect(A, accessToken).json()).containsEntry("active", false);
    }

    @Test
    void tokenExchangeAcceptsAPairwiseAccessTokenAndIdTokenAsSubject() {
        TokenClient.Response tokens = signIn(A, A_REDIRECT);
        String sub = idTokenSub(tokens);

        for (Map.Entry<String, String> subject : Map.of(
                TokenExchangeConfig.ACCESS_TOKEN, tokens.string("access_token"),
                TokenExchangeConfig.ID_TOKEN, tokens.string("id_token")).entrySet()) {
            TokenClient.Response exchanged = server.tokenClient().token(A, SECRET, Map.of(
                    "grant_type", ClientConfig.TOKEN_EXCHANGE,
                    "subject_token", subject.getValue(), "subject_token_type", subject.getKey(),
                    "requested_token_type", TokenExchangeConfig.ACCESS_TOKEN, "scope", "openid email"));

            assertThat(exchanged.status()).as(subject.getKey() + ": " + exchanged.body()).isEqualTo(200);
            String issued = exchanged.string("access_token");
            assertThat(TokenFlows.claims(issued).getSubject()).isEqualTo(sub);
            assertThat(TokenFlows.userInfo(server, issued).string("sub")).isEqualTo(sub);
        }
    }

    @Test
    void aSectorDocumentThatDoesNotListEveryRedirectUriStopsStartup() {
        assertThatThrownBy(() -> startWith(sectorUri("/only-a.json")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sectorIdentifierUri: the document does not list redirectUris[0]");
    }

    @Test
    void aSectorDocumentThatIsNoListOrCannotBeFetchedStopsStartup() {
        assertThatThrownBy(() -> startWith(sectorUri("/not-a-list.json")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a JSON array");
        assertThatThrownBy(() -> startWith(sectorUri("/missing.json")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("could not be fetched: not found (HTTP 404)");
    }

    @Test
    void theServerItselfFetchesSectorDocumentsOnlyOverHttps() {
        UnaryOperator<TesseraConfig> plainHttp = config -> withPairwiseClients(config, sectorUri("/sector.json"));

        assertThatThrownBy(() -> TesseraTestServer.start(plainHttp).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("sectorIdentifierUri: must be an https URL");
    }

    private static void startWith(String sectorUri) {
        TesseraTestServer.startAllowingLoopbackHttpFetches(config -> withPairwiseClients(config, sectorUri)).close();
    }
}
