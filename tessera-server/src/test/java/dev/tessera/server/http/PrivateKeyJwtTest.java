package dev.tessera.server.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.ClientKeys;
import dev.tessera.server.testsupport.LogCapture;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * private_key_jwt (OIDC Core §9, RFC 7523 §2.2) over HTTP at /token, /introspect and /revoke: keys by jwks_uri and
 * inline, each accepted algorithm, and every way an assertion must be refused, always as invalid_client.
 */
class PrivateKeyJwtTest {
    private static final String BY_URI = "pk-uri";
    private static final String INLINE = "pk-inline";
    private static final String ROTATING = "pk-rotating";
    private static final String UNREACHABLE = "pk-unreachable";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    static ClientKeys keys;
    static ClientKeys inlineKeys;
    static ClientKeys rotatingKeys;
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        keys = ClientKeys.start();
        inlineKeys = ClientKeys.start();
        rotatingKeys = ClientKeys.start();
        String closedPort = "http://127.0.0.1:" + closedPort() + "/jwks.json";
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(keyClient(BY_URI).jwksUri(keys.jwksUri()).build());
            clients.add(keyClient(INLINE).jwks(inlineKeys.inlineJwks()).build());
            clients.add(keyClient(ROTATING).jwksUri(rotatingKeys.jwksUri()).build());
            clients.add(keyClient(UNREACHABLE).jwksUri(closedPort).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
        keys.close();
        inlineKeys.close();
        rotatingKeys.close();
    }

    private static ClientConfig.Builder keyClient(String id) {
        return ClientConfig.builder(id).tokenEndpointAuthMethod("private_key_jwt")
                .grantTypes(List.of("client_credentials")).scopes(List.of("api.read"));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant now() {
        return server.clock().instant();
    }

    private static JWTClaimsSet.Builder claims(String clientId) {
        return ClientKeys.claims(clientId, server.issuer(), now());
    }

    /** POST {@code path} authenticated by {@code assertion} alone (no client_id, as RFC 7521 §4.2 allows). */
    private static TokenClient.Response post(String path, String assertion, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertion);
        return server.tokenClient().post(path, null, UserAgent.encode(form));
    }

    private static TokenClient.Response token(String assertion) {
        return post("/token", assertion, Map.of("grant_type", "client_credentials"));
    }

    private static String refusedDescription(TokenClient.Response response) {
        assertOAuthError(response, 401, "invalid_client");
        return response.string("error_description");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256"})
    void anAssertionSignedWithTheClientsKeyAuthenticatesAtTokenIntrospectionAndRevocation(String alg) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);

        TokenClient.Response issued = token(keys.sign(algorithm, claims(BY_URI).build()));
        assertThat(issued.status()).as(issued.body()).isEqualTo(200);
        String accessToken = issued.string("access_token");

        TokenClient.Response introspection = post("/introspect", keys.sign(algorithm, claims(BY_URI).build()),
                Map.of("token", accessToken));
        assertThat(introspection.status()).as(introspection.body()).isEqualTo(200);
        assertThat(introspection.json()).containsEntry("active", true).containsEntry("client_id", BY_URI);

        TokenClient.Response revocation = post("/revoke", keys.sign(algorithm, claims(BY_URI).build()),
                Map.of("token", accessToken));
        assertThat(revocation.status()).as(revocation.body()).isEqualTo(200);
        TokenClient.Response after = post("/introspect", keys.sign(algorithm, claims(BY_URI).build()),
                Map.of("token", accessToken));
        assertThat(after.json()).containsEntry("active", false);
    }

    @Test
    void inlineKeysAuthenticateWithoutAnyFetch() {
        assertThat(token(inlineKeys.sign(JWSAlgorithm.ES256, claims(INLINE).build())).status()).isEqualTo(200);
        assertThat(token(inlineKeys.sign(JWSAlgorithm.RS256, claims(INLINE).build())).status()).isEqualTo(200);
        assertThat(inlineKeys.jwksRequests()).isZero();
    }

    @Test
    void theTokenEndpointUrlIsAcceptedAsAudience() {
        JWTClaimsSet claims = ClientKeys.claims(BY_URI, server.issuer() + "/token", now()).build();

        assertThat(token(keys.sign(JWSAlgorithm.RS256, claims)).status()).isEqualTo(200);
    }

    @Test
    void aClientIdBesideTheAssertionMustNameTheSameClient() {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", BY_URI);
        assertThat(post("/token", keys.sign(JWSAlgorithm.RS256, claims(BY_URI).build()), form).status()).isEqualTo(200);

        Map<String, String> other = Map.of("grant_type", "client_credentials", "client_id", INLINE);
        assertThat(refusedDescription(post("/token", keys.sign(JWSAlgorithm.RS256, claims(BY_URI).build()), other)))
                .contains("client_id does not match");
    }

    @Test
    void anAssertionForAnotherServerIsRefused() {
        JWTClaimsSet claims = ClientKeys.claims(BY_URI, "https://other-as.example", now()).build();

        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims)))).contains("aud");
    }

    @Test
    void anAudienceListNamingAnotherServerBesideThisOneIsRefused() {
        JWTClaimsSet claims = claims(BY_URI).audience(List.of(server.issuer(), "https://other-as.example")).build();

        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims)))).contains("aud");
    }

    @Test
    void anAssertionIsGoodForOneRequestOnly() {
        String assertion = keys.sign(JWSAlgorithm.ES256, claims(BY_URI).build());
        assertThat(token(assertion).status()).isEqualTo(200);

        assertThat(refusedDescription(token(assertion))).contains("already used");
        assertThat(refusedDescription(post("/introspect", assertion, Map.of("token", "x")))).contains("already used");
    }

    @Test
    void anExpiredAssertionIsRefused() {
        Instant past = now().minus(Duration.ofMinutes(3));
        JWTClaimsSet claims = ClientKeys.claims(BY_URI, server.issuer(), past)
                .expirationTime(Date.from(past.plusSeconds(60))).build();

        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims)))).contains("expired");
    }

    @Test
    void anAssertionWithoutExpIsRefused() {
        JWTClaimsSet claims = claims(BY_URI).expirationTime(null).build();

        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims)))).contains("exp");
    }

    @Test
    void anAssertionLivingLongerThanFiveMinutesIsRefused() {
        JWTClaimsSet claims = claims(BY_URI).expirationTime(Date.from(now().plus(Duration.ofMinutes(10)))).build();
        JWTClaimsSet withoutIat = claims(BY_URI).issueTime(null)
                .expirationTime(Date.from(now().plus(Duration.ofHours(1)))).build();

        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims)))).contains("at most 5 minutes");
        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, withoutIat)))).contains("at most 5 minutes");
    }

    @Test
    void anAssertionFromTheFutureIsRefused() {
        JWTClaimsSet claims = claims(BY_URI).notBeforeTime(Date.from(now().plus(Duration.ofMinutes(2)))).build();

        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims)))).contains("nbf");
    }

    @Test
    void anAssertionWithoutJtiIsRefused() {
        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims(BY_URI).jwtID(null).build()))))
                .contains("jti");
    }

    @Test
    void aKeyTheClientDoesNotPublishIsRefused() {
        RSAKey stranger = ClientKeys.newRsa("not-published");

        String description = refusedDescription(token(ClientKeys.sign(stranger, JWSAlgorithm.RS256, claims(BY_URI).build())));

        assertThat(description).contains("does not verify with the client's registered keys");
    }

    @Test
    void hs256KeyedWithTheClientsPublicKeyIsRefused() throws Exception {
        // The classic confusion: an HMAC whose secret is the RSA public key everyone can download.
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.rsa().getKeyID()).build(),
                claims(BY_URI).build());
        forged.sign(new MACSigner(keys.rsa().toRSAPublicKey().getEncoded()));

        assertThat(refusedDescription(token(forged.serialize()))).contains("RS256, PS256 or ES256");
    }

    @Test
    void anUnsignedAssertionIsRefused() {
        String unsigned = new PlainJWT(claims(BY_URI).build()).serialize();

        assertThat(refusedDescription(token(unsigned))).contains("alg none");
    }

    @Test
    void issAndSubMustBothBeTheClient() {
        JWTClaimsSet claims = claims(BY_URI).issuer("someone-else").build();

        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims)))).contains("iss and sub");
    }

    @Test
    void anAssertionNamingAnotherClientDoesNotVerifyWithTheSignersKey() {
        // Signed with BY_URI's key but claiming to be INLINE: INLINE's keys must not verify it.
        String description = refusedDescription(token(keys.sign(JWSAlgorithm.ES256, claims(INLINE).build())));

        assertThat(description).contains("does not verify with the client's registered keys");
    }

    @Test
    void anUnknownClientGetsTheSameAnswerAsABadSignature() {
        String unknown = refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims("no-such-client").build())));
        String badSignature = refusedDescription(token(ClientKeys.sign(ClientKeys.newEc("x"), JWSAlgorithm.ES256,
                claims(BY_URI).build())));

        assertThat(unknown).isEqualTo(badSignature);
    }

    @Test
    void anotherAssertionTypeIsRefused() {
        Map<String, String> form = Map.of("grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
                "client_assertion", keys.sign(JWSAlgorithm.RS256, claims(BY_URI).build()));

        assertThat(refusedDescription(server.tokenClient().post("/token", null, UserAgent.encode(form))))
                .contains("client_assertion_type");
    }

    @Test
    void aSecretClientCannotUseAnAssertionAndAKeyClientCannotUseASecret() {
        assertThat(refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims(WEB).build()))))
                .contains("registered for client_secret_basic");

        TokenClient.Response withSecret = server.tokenClient().token(BY_URI, WEB_SECRET,
                Map.of("grant_type", "client_credentials"));
        assertThat(refusedDescription(withSecret)).contains("private_key_jwt");
    }

    @Test
    void anAssertionAndASecretTogetherAreRefused() {
        String assertion = keys.sign(JWSAlgorithm.RS256, claims(BY_URI).build());
        String body = UserAgent.encode(Map.of("grant_type", "client_credentials",
                "client_assertion_type", ASSERTION_TYPE, "client_assertion", assertion));

        TokenClient.Response response = server.tokenClient().post("/token", TokenClient.basic(WEB, WEB_SECRET), body);

        assertOAuthError(response, 400, "invalid_request");
    }

    @Test
    void aRotatedKeyIsFetchedFromTheJwksUriOnFirstUse() {
        assertThat(token(rotatingKeys.sign(JWSAlgorithm.RS256, claims(ROTATING).build())).status()).isEqualTo(200);
        int before = rotatingKeys.jwksRequests();
        RSAKey next = ClientKeys.newRsa("rotated-" + before);
        rotatingKeys.publish(next);
        server.clock().advance(Duration.ofMinutes(1)); // refetches on an unknown kid are rate limited to one a minute

        TokenClient.Response response = token(ClientKeys.sign(next, JWSAlgorithm.RS256, claims(ROTATING).build()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(rotatingKeys.jwksRequests()).isEqualTo(before + 1);
    }

    @Test
    void forgedKidsDoNotMakeTheServerFetchTheJwksOverAndOver() {
        token(keys.sign(JWSAlgorithm.RS256, claims(BY_URI).build()));
        int before = keys.jwksRequests();

        for (int i = 0; i < 5; i++) {
            token(ClientKeys.sign(ClientKeys.newEc("forged-" + i), JWSAlgorithm.ES256, claims(BY_URI).build()));
        }

        assertThat(keys.jwksRequests() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void anUnreachableJwksUriIsAClearClientErrorNotAServerError() {
        String description = refusedDescription(token(keys.sign(JWSAlgorithm.RS256, claims(UNREACHABLE).build())));

        assertThat(description).contains("could not be fetched from its jwks_uri");
    }

    @Test
    void refusedAssertionsAreLoggedAndCountedButNeverWrittenOut() {
        String assertion = keys.sign(JWSAlgorithm.RS256, claims(BY_URI).audience("https://other-as.example").build());
        String everything;
        try (LogCapture audit = LogCapture.of("tessera.audit"); LogCapture all = LogCapture.of("dev.tessera")) {
            token(assertion);
            everything = audit.allText() + all.allText();
        }
        String metrics = server.tokenClient().get("/metrics", null).body();

        assertThat(everything).contains("client_authentication_failed").contains("reason=assertion_audience")
                .doesNotContain(assertion).doesNotContain(assertion.substring(assertion.lastIndexOf('.') + 1));
        assertThat(metrics).contains("tessera_client_authentication_failures_total{reason=\"assertion_audience\"}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void discoveryListsPrivateKeyJwtAndItsAlgorithmsForEveryEndpoint() {
        Map<String, Object> document = server.tokenClient().get("/.well-known/openid-configuration", null).json();

        for (String endpoint : List.of("token", "introspection", "revocation")) {
            assertThat((List<Object>) document.get(endpoint + "_endpoint_auth_methods_supported")).contains("private_key_jwt");
            assertThat((List<Object>) document.get(endpoint + "_endpoint_auth_signing_alg_values_supported"))
                    .containsExactlyInAnyOrder("RS256", "PS256", "ES256");
        }
    }
}
