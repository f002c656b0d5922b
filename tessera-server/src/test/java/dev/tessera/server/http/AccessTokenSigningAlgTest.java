package dev.tessera.server.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.TokenExchangeConfig;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code clients[].accessTokenSigningAlg} (SPEC §2): every grant that issues a JWT access token signs it with the
 * client's algorithm, and a resource server holding only the published JWKS verifies it. The ID token keeps its
 * own algorithm, and introspection, userinfo and token exchange accept the client's tokens as before.
 */
class AccessTokenSigningAlgTest {
    static final String SECRET = "access-token-alg-secret-0123456789-0123456789";
    static final String REDIRECT = "https://rp.example.test/cb";
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            for (String alg : List.of("RS256", "ES256", "PS256")) {
                clients.add(ClientConfig.builder("at-" + alg).secret(SECRET).redirectUris(List.of(REDIRECT))
                        .consent("skip").accessTokenSigningAlg(alg)
                        .grantTypes(List.of("authorization_code", "refresh_token", "client_credentials",
                                ClientConfig.TOKEN_EXCHANGE))
                        .scopes(List.of("openid", "email", "offline_access", "api.read")).introspect(true).build());
            }
            clients.add(ClientConfig.builder("at-default").secret(SECRET).grantTypes(List.of("client_credentials"))
                    .scopes(List.of("api.read")).build());
            return config.withClients(clients)
                    .withTokenExchange(new TokenExchangeConfig(List.of(TokenExchangeConfig.ACCESS_TOKEN)));
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "PS256"})
    void clientCredentialsTokensAreSignedWithTheClientsAlgorithmAndVerifyWithTheJwks(String alg) throws Exception {
        TokenClient.Response answer = server.tokenClient().token("at-" + alg, SECRET,
                Map.of("grant_type", "client_credentials", "scope", "api.read"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertSignedWith(answer.string("access_token"), alg);
    }

    @Test
    void withoutTheSettingAccessTokensAreRs256() throws Exception {
        TokenClient.Response answer = server.tokenClient().token("at-default", SECRET,
                Map.of("grant_type", "client_credentials"));

        assertSignedWith(answer.string("access_token"), "RS256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "PS256"})
    void codeAndRefreshAccessTokensUseTheClientsAlgorithmWhileTheIdTokenKeepsItsOwn(String alg) throws Exception {
        TokenClient.Response tokens = signIn(alg);
        assertSignedWith(tokens.string("access_token"), alg);
        assertSignedWith(tokens.string("id_token"), "RS256"); // idTokenSigningAlg stays at its default

        TokenClient.Response refreshed = TokenFlows.refresh(server, "at-" + alg, SECRET, tokens.string("refresh_token"));

        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertSignedWith(refreshed.string("access_token"), alg);
        assertThat(TokenFlows.userInfo(server, refreshed.string("access_token")).string("email"))
                .isEqualTo("alice@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "PS256"})
    void introspectionAndTokenExchangeAcceptTheClientsTokens(String alg) throws Exception {
        String accessToken = signIn(alg).string("access_token");

        TokenClient.Response introspected = server.tokenClient().post("/introspect", TokenClient.basic("at-" + alg, SECRET),
                "token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8));
        assertThat(introspected.json()).containsEntry("active", true).containsEntry("client_id", "at-" + alg);

        // RFC 8693: the client exchanges its own token (subject token check) for a new one of the same algorithm.
        TokenClient.Response exchanged = server.tokenClient().token("at-" + alg, SECRET, Map.of(
                "grant_type", ClientConfig.TOKEN_EXCHANGE, "subject_token", accessToken,
                "subject_token_type", TokenExchangeConfig.ACCESS_TOKEN,
                "requested_token_type", TokenExchangeConfig.ACCESS_TOKEN, "scope", "openid email"));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertSignedWith(exchanged.string("access_token"), alg);
        assertThat(exchanged.string("access_token")).isNotEqualTo(accessToken);
    }

    @Test
    void aTokenWhoseSignatureWasTamperedWithIsInactive() {
        String token = signIn("ES256").string("access_token");
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);

        TokenClient.Response introspected = server.tokenClient().post("/introspect", TokenClient.basic("at-ES256", SECRET),
                "token=" + URLEncoder.encode(forged, StandardCharsets.UTF_8));
        assertThat(introspected.json()).isEqualTo(Map.of("active", false));
        assertThat(TokenFlows.userInfo(server, forged).status()).isEqualTo(401);
    }

    private static TokenClient.Response signIn(String alg) {
        TokenClient.Response tokens = Flows.codeFlow(server, "at-" + alg, SECRET, REDIRECT, ALICE, ALICE_PASSWORD,
                "openid email offline_access");
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return tokens;
    }

    /** Verified the way a resource server would: the key named by kid in the published JWKS, of the same alg. */
    private static void assertSignedWith(String token, String alg) throws ParseException, JOSEException {
        SignedJWT jwt = SignedJWT.parse(token);
        JWSHeader header = jwt.getHeader();
        assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.parse(alg));
        JWKSet jwks = TokenFlows.jwks(server);
        JWK key = jwks.getKeyByKeyId(header.getKeyID());
        assertThat(key).as("kid %s in the JWKS", header.getKeyID()).isNotNull();
        assertThat(key.getAlgorithm()).isEqualTo(header.getAlgorithm());
        assertThat(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(header,
                ((AsymmetricJWK) key).toPublicKey()))).isTrue();
    }
}
