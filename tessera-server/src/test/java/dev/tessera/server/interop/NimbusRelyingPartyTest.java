package dev.tessera.server.interop;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWEDecryptionKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformation;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ResponseEncryptionConfig;
import dev.tessera.server.config.SubjectsConfig;
import dev.tessera.server.testsupport.ClientKeys;
import dev.tessera.server.testsupport.TesseraTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A relying party that nobody here wrote, the Nimbus OAuth 2.0 SDK with OpenID Connect extensions, signs in
 * through Tessera's real pages and validates everything Tessera issues with the SDK's own parsers and
 * validators: discovery, the authorization response (state, RFC 9207 iss), the token response, the ID token
 * (signature from the discovered JWKS, iss, aud, nonce, at_hash, auth_time against max_age) and userinfo, in
 * each mode a client can register. If Tessera drifts from the specs, this RP says so, not our own checks.
 */
class NimbusRelyingPartyTest {
    static final String SECRET = "nimbus-rp-secret-0123456789-0123456789-ab";
    static final URI REDIRECT = URI.create("https://rp.nimbus.example.test/callback");
    static final Scope SCOPE = new Scope("openid", "profile", "email");
    static final int MAX_AGE = 600;

    static RSAKey clientEncryptionKey;
    static HttpServer clientKeys;
    static ClientKeys signingKeys;
    static TesseraTestServer server;
    static OIDCProviderMetadata provider;

    @BeforeAll
    static void start() throws Exception {
        clientEncryptionKey = new RSAKeyGenerator(2048).keyUse(KeyUse.ENCRYPTION).keyID("rp-enc").generate();
        String jwks = new JWKSet(clientEncryptionKey.toPublicJWK()).toString();
        clientKeys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        clientKeys.createContext("/jwks", exchange -> {
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        clientKeys.start();
        String jwksUri = "http://127.0.0.1:" + clientKeys.getAddress().getPort() + "/jwks";
        ResponseEncryptionConfig toClientKey = new ResponseEncryptionConfig("RSA-OAEP-256", "A256GCM", jwksUri);
        signingKeys = ClientKeys.start();
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(client("rp-basic").build());
            clients.add(client("rp-post").tokenEndpointAuthMethod("client_secret_post").build());
            clients.add(client("rp-pairwise").subjectType("pairwise").build());
            clients.add(client("rp-es256").idTokenSigningAlg("ES256").build());
            clients.add(client("rp-encrypted").idTokenEncryption(toClientKey).build());
            clients.add(client("rp-userinfo-signed").userinfoSignedResponseAlg("PS256").build());
            clients.add(client("rp-userinfo-encrypted").userinfoSignedResponseAlg("RS256")
                    .userinfoEncryption(toClientKey).build());
            clients.add(keyClient("rp-key-by-uri").jwksUri(signingKeys.jwksUri()).build());
            clients.add(keyClient("rp-key-inline").jwks(signingKeys.inlineJwks()).build());
            return config.withClients(clients).withSubjects(new SubjectsConfig("nimbus-rp-salt"));
        });
        provider = OIDCProviderMetadata.resolve(new Issuer(server.issuer()));
    }

    private static ClientConfig.Builder client(String id) {
        return ClientConfig.builder(id).name("Nimbus RP " + id).secret(SECRET)
                .redirectUris(List.of(REDIRECT.toString())).scopes(List.of("openid", "profile", "email"));
    }

    // private_key_jwt clients have no secret: their signing keys are their credential.
    private static ClientConfig.Builder keyClient(String id) {
        return ClientConfig.builder(id).name("Nimbus RP " + id).tokenEndpointAuthMethod("private_key_jwt")
                .redirectUris(List.of(REDIRECT.toString())).scopes(List.of("openid", "profile", "email"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        clientKeys.stop(0);
        signingKeys.close();
    }

    // --- discovery ---

    @Test
    void theSdkAcceptsTheDiscoveryDocumentAndFindsWhatItNeeds() {
        // resolve() already refused any issuer mismatch; these are the values the RP below relies on.
        assertThat(provider.getIssuer().getValue()).isEqualTo(server.issuer());
        assertThat(provider.getAuthorizationEndpointURI()).isEqualTo(URI.create(server.issuer() + "/authorize"));
        assertThat(provider.getTokenEndpointURI()).isEqualTo(URI.create(server.issuer() + "/token"));
        assertThat(provider.getUserInfoEndpointURI()).isEqualTo(URI.create(server.issuer() + "/userinfo"));
        assertThat(provider.getJWKSetURI()).isEqualTo(URI.create(server.issuer() + "/.well-known/jwks.json"));
        assertThat(provider.getResponseTypes()).contains(ResponseType.CODE);
        assertThat(provider.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
        assertThat(provider.getIDTokenJWSAlgs()).contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);
        assertThat(provider.getIDTokenJWEAlgs()).contains(JWEAlgorithm.RSA_OAEP_256);
        assertThat(provider.getIDTokenJWEEncs()).contains(EncryptionMethod.A256GCM);
        assertThat(provider.getUserInfoJWSAlgs()).contains(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
        assertThat(provider.getUserInfoJWEAlgs()).contains(JWEAlgorithm.RSA_OAEP_256);
        assertThat(provider.getUserInfoJWEEncs()).contains(EncryptionMethod.A256GCM);
        assertThat(provider.supportsAuthorizationResponseIssuerParam()).isTrue();
        assertThat(provider.getTokenEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(provider.getTokenEndpointJWSAlgs()).contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    }

    // --- the modes a client can register ---

    @Test
    void plainRs256WithClientSecretBasic() throws Exception {
        RelyingParty rp = RelyingParty.secretBasic("rp-basic");

        SignedIn session = rp.signIn();

        assertThat(session.idToken().getSubject().getValue()).isEqualTo(session.userInfo().getSubject().getValue());
        assertThat(session.rawIdToken().getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(session.userInfo().getEmailAddress()).isEqualTo("alice@example.com");
        assertThat(session.userInfo().getName()).isEqualTo("Alice Example");
    }

    @Test
    void clientSecretPost() throws Exception {
        RelyingParty rp = new RelyingParty("rp-post", registeredNothing(),
                () -> new ClientSecretPost(new ClientID("rp-post"), new Secret(SECRET)), null);

        SignedIn session = rp.signIn();

        assertThat(session.userInfo().getEmailAddress()).isEqualTo("alice@example.com");
    }

    @Test
    void aPairwiseClientSeesItsOwnSubjectInTheIdTokenAndUserinfo() throws Exception {
        SignedIn pairwise = RelyingParty.secretBasic("rp-pairwise").signIn();
        SignedIn publicSubject = RelyingParty.secretBasic("rp-basic").signIn();

        String sub = pairwise.idToken().getSubject().getValue();
        assertThat(pairwise.userInfo().getSubject().getValue()).isEqualTo(sub);
        assertThat(sub).isNotEqualTo(publicSubject.idToken().getSubject().getValue());
    }

    @Test
    void es256IdToken() throws Exception {
        OIDCClientMetadata metadata = registeredNothing();
        metadata.setIDTokenJWSAlg(JWSAlgorithm.ES256);

        SignedIn session = new RelyingParty("rp-es256", metadata, basic("rp-es256"), null).signIn();

        assertThat(session.rawIdToken().getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    }

    @Test
    void idTokenEncryptedToTheClientsKey() throws Exception {
        OIDCClientMetadata metadata = registeredNothing();
        metadata.setIDTokenJWEAlg(JWEAlgorithm.RSA_OAEP_256);
        metadata.setIDTokenJWEEnc(EncryptionMethod.A256GCM);

        SignedIn session = new RelyingParty("rp-encrypted", metadata, basic("rp-encrypted"),
                new ImmutableJWKSet<>(new JWKSet(clientEncryptionKey))).signIn();

        assertThat(session.rawIdToken().getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.RSA_OAEP_256);
        assertThat(session.idToken().getAudience()).extracting(Object::toString).containsExactly("rp-encrypted");
    }

    @Test
    void signedUserinfo() throws Exception {
        OIDCClientMetadata metadata = registeredNothing();
        metadata.setUserInfoJWSAlg(JWSAlgorithm.PS256);

        SignedIn session = new RelyingParty("rp-userinfo-signed", metadata, basic("rp-userinfo-signed"), null)
                .signIn();

        assertThat(session.userInfoJwt()).as("an application/jwt answer").isNotNull();
        assertThat(session.userInfoJwt().getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(session.userInfo().getSubject()).isEqualTo(session.idToken().getSubject());
        assertThat(session.userInfo().getEmailAddress()).isEqualTo("alice@example.com");
    }

    @Test
    void signedAndEncryptedUserinfo() throws Exception {
        OIDCClientMetadata metadata = registeredNothing();
        metadata.setUserInfoJWSAlg(JWSAlgorithm.RS256);
        metadata.setUserInfoJWEAlg(JWEAlgorithm.RSA_OAEP_256);
        metadata.setUserInfoJWEEnc(EncryptionMethod.A256GCM);

        SignedIn session = new RelyingParty("rp-userinfo-encrypted", metadata, basic("rp-userinfo-encrypted"),
                new ImmutableJWKSet<>(new JWKSet(clientEncryptionKey))).signIn();

        assertThat(session.userInfoJwt().getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.RSA_OAEP_256);
        assertThat(session.userInfo().getSubject()).isEqualTo(session.idToken().getSubject());
        assertThat(session.userInfo().getEmailAddress()).isEqualTo("alice@example.com");
    }

    @Test
    void privateKeyJwtWithAnRs256KeyPublishedAtTheClientsJwksUri() throws Exception {
        RelyingParty rp = new RelyingParty("rp-key-by-uri", registeredNothing(),
                () -> privateKeyJwt("rp-key-by-uri", JWSAlgorithm.RS256), null);

        SignedIn session = rp.signIn();

        assertThat(session.userInfo().getEmailAddress()).isEqualTo("alice@example.com");
    }

    @Test
    void privateKeyJwtWithAnEs256KeyRegisteredInline() throws Exception {
        RelyingParty rp = new RelyingParty("rp-key-inline", registeredNothing(),
                () -> privateKeyJwt("rp-key-inline", JWSAlgorithm.ES256), null);

        SignedIn session = rp.signIn();

        assertThat(session.idToken().getAudience()).extracting(Object::toString).containsExactly("rp-key-inline");
    }

    @Test
    void theSdksPrivateKeyJwtAssertionIsSingleUse() throws Exception {
        PrivateKeyJWT assertion = privateKeyJwt("rp-key-by-uri", JWSAlgorithm.RS256);
        RelyingParty sameAssertionTwice = new RelyingParty("rp-key-by-uri", registeredNothing(), () -> assertion,
                null);
        sameAssertionTwice.signIn();

        assertThatThrownBy(sameAssertionTwice::signIn).hasMessageContaining("invalid_client")
                .hasMessageContaining("already used");
    }

    // --- the SDK's checks are real: the same tokens fail where they should ---

    @Test
    void theSdkRefusesOurIdTokenForAnotherClientOrAnotherNonce() throws Exception {
        SignedIn session = RelyingParty.secretBasic("rp-basic").signIn();

        IDTokenValidator otherClient = IDTokenValidator.create(provider,
                new OIDCClientInformation(new ClientID("rp-post"), registeredNothing()));
        IDTokenValidator sameClient = IDTokenValidator.create(provider,
                new OIDCClientInformation(new ClientID("rp-basic"), registeredNothing()));

        assertThatThrownBy(() -> otherClient.validate(session.rawIdToken(), session.nonce()))
                .isInstanceOf(BadJOSEException.class).hasMessageContaining("audience");
        assertThatThrownBy(() -> sameClient.validate(session.rawIdToken(), new Nonce()))
                .isInstanceOf(BadJOSEException.class).hasMessageContaining("nonce");
    }

    // --- the relying party ---

    private static OIDCClientMetadata registeredNothing() {
        OIDCClientMetadata metadata = new OIDCClientMetadata();
        metadata.setRedirectionURI(REDIRECT);
        metadata.applyDefaults(); // RS256 ID tokens, no encryption, like a client that registered nothing else
        return metadata;
    }

    /** The SDK's own client assertion (aud = the token endpoint, a fresh jti, exp in 5 minutes). */
    private static PrivateKeyJWT privateKeyJwt(String clientId, JWSAlgorithm alg) {
        try {
            return JWSAlgorithm.ES256.equals(alg)
                    ? new PrivateKeyJWT(new ClientID(clientId), provider.getTokenEndpointURI(), alg,
                            signingKeys.ec().toECPrivateKey(), signingKeys.ec().getKeyID(), null)
                    : new PrivateKeyJWT(new ClientID(clientId), provider.getTokenEndpointURI(), alg,
                            signingKeys.rsa().toRSAPrivateKey(), signingKeys.rsa().getKeyID(), null);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Supplier<ClientAuthentication> basic(String clientId) {
        return () -> new ClientSecretBasic(new ClientID(clientId), new Secret(SECRET));
    }

    /** What one sign-in gave the RP, each part already validated by the SDK. */
    record SignedIn(Nonce nonce, JWT rawIdToken, IDTokenClaimsSet idToken, JWT userInfoJwt, UserInfo userInfo) {
    }

    /**
     * One client as the SDK sees it: its registration (OIDCClientInformation), how it authenticates at /token
     * (a fresh ClientAuthentication per request, since an assertion is single use) and its own private keys.
     */
    private record RelyingParty(String clientId, OIDCClientMetadata metadata, Supplier<ClientAuthentication> auth,
                                JWKSource<SecurityContext> ownKeys) {

        static RelyingParty secretBasic(String clientId) {
            return new RelyingParty(clientId, registeredNothing(), basic(clientId), null);
        }

        SignedIn signIn() throws Exception {
            ClientID id = new ClientID(clientId);
            State state = new State();
            Nonce nonce = new Nonce();
            CodeVerifier verifier = new CodeVerifier();
            AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, SCOPE, id, REDIRECT)
                    .endpointURI(provider.getAuthorizationEndpointURI())
                    .state(state).nonce(nonce).maxAge(MAX_AGE)
                    .codeChallenge(verifier, CodeChallengeMethod.S256)
                    .build();

            // The browser part: Tessera's real login (and consent) pages, then the redirect back to the RP.
            HttpResponse<String> redirect = server.userAgent().signInAndAllow(request.toURI().getRawQuery(), ALICE,
                    ALICE_PASSWORD);
            String location = redirect.headers().firstValue("Location")
                    .orElseThrow(() -> new AssertionError(redirect.statusCode() + " " + redirect.body()));
            AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(location));
            assertThat(response.indicatesSuccess()).as(location).isTrue();
            AuthenticationSuccessResponse success = response.toSuccessResponse();
            assertThat(success.getState()).isEqualTo(state);
            assertThat(success.getIssuer()).as("RFC 9207 iss").isEqualTo(provider.getIssuer());

            TokenRequest tokenRequest = new TokenRequest.Builder(provider.getTokenEndpointURI(), auth.get(),
                    new AuthorizationCodeGrant(success.getAuthorizationCode(), REDIRECT, verifier)).build();
            TokenResponse tokenResponse = OIDCTokenResponseParser.parse(tokenRequest.toHTTPRequest().send());
            assertThat(tokenResponse.indicatesSuccess()).as(() -> describe(tokenResponse)).isTrue();
            OIDCTokens tokens = ((OIDCTokenResponse) tokenResponse.toSuccessResponse()).getOIDCTokens();

            // Keys from the discovered jwks_uri; the client's own keys for what was encrypted to it.
            OIDCClientInformation registration = new OIDCClientInformation(id, metadata);
            IDTokenValidator validator = ownKeys == null ? IDTokenValidator.create(provider, registration)
                    : IDTokenValidator.create(provider, registration, ownKeys);
            IDTokenClaimsSet idToken = validator.validate(tokens.getIDToken(), nonce);
            AccessTokenValidator.validate(tokens.getAccessToken(), metadata.getIDTokenJWSAlg(),
                    idToken.getAccessTokenHash());
            // OIDC Core §3.1.2.1: max_age was sent, so auth_time is there and no older than that.
            assertThat(idToken.getAuthenticationTime()).isNotNull();
            assertThat(Duration.between(idToken.getAuthenticationTime().toInstant(), server.clock().instant()))
                    .isLessThanOrEqualTo(Duration.ofSeconds(MAX_AGE));

            UserInfoResponse userInfoResponse = UserInfoResponse.parse(
                    new UserInfoRequest(provider.getUserInfoEndpointURI(), (BearerAccessToken) tokens.getAccessToken())
                            .toHTTPRequest().send());
            assertThat(userInfoResponse.indicatesSuccess()).isTrue();
            UserInfoSuccessResponse userInfo = userInfoResponse.toSuccessResponse();
            if (metadata.getUserInfoJWSAlg() == null) {
                assertThat(userInfo.getUserInfoJWT()).isNull();
                return new SignedIn(nonce, tokens.getIDToken(), idToken, null, userInfo.getUserInfo());
            }
            JWT jwt = userInfo.getUserInfoJWT();
            return new SignedIn(nonce, tokens.getIDToken(), idToken, jwt, validatedUserInfo(jwt));
        }

        private static String describe(TokenResponse refused) {
            var error = refused.toErrorResponse().getErrorObject();
            return error.getCode() + ": " + error.getDescription();
        }

        /**
         * The SDK parses a JWT userinfo answer but leaves its validation to the RP: signature from the discovered
         * JWKS with the registered alg, decryption with the client's key when it registered encryption, then
         * OIDC Core §5.3.2's iss and aud.
         */
        private UserInfo validatedUserInfo(JWT jwt) throws Exception {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(metadata.getUserInfoJWSAlg(),
                    JWKSourceBuilder.create(provider.getJWKSetURI().toURL()).build()));
            if (metadata.getUserInfoJWEAlg() != null) {
                processor.setJWEKeySelector(new JWEDecryptionKeySelector<>(metadata.getUserInfoJWEAlg(),
                        metadata.getUserInfoJWEEnc(), ownKeys));
            }
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(clientId,
                    new JWTClaimsSet.Builder().issuer(provider.getIssuer().getValue()).build(),
                    Set.of("sub", "iss", "aud")));
            return new UserInfo(processor.process(jwt, null));
        }
    }
}
