package dev.tessera.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.crypto.Argon2idPasswordHasher;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.AuthorizeSteps.codeFrom;
import static dev.tessera.server.http.AuthorizeSteps.redirectTo;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claim release follows consent (SPEC §5) through real HTTP: claims asked for one by one and verified claims
 * go out only after the user allowed them, the claims request is kept with the grant for userinfo and every
 * refresh, and the client's claims list caps everything. Each test signs in its own user, so remembered
 * consents never leak between tests.
 */
class ClaimsReleaseTest {
    static final String PASSWORD = "claims release password 123";
    static final String FIRST_PARTY = "first-party";
    static final String FIRST_PARTY_REDIRECT = "https://first.example.test/cb";
    static final String CAPPED = "capped";
    static final String CAPPED_REDIRECT = "https://capped.example.test/cb";
    static final String SECRET = "claims-release-secret-0123456789-0123456789";
    static final Map<String, Object> ADDRESS = Map.of("locality", "Maxstadt", "country", "DE");
    static final Map<String, Object> VERIFIED = Map.of(
            "verification", Map.of("trust_framework", "eidas", "time", "2024-04-23T18:25Z",
                    "evidence", List.of(Map.of("type", "document", "method", "pipp"))),
            "claims", Map.of("given_name", "Vera", "family_name", "Verified", "birthdate", "1990-01-28"));
    /** Everything at once: the audit's request from a client that asked for scope openid only. */
    static final String EVERYTHING = """
            {"id_token":{"email":null,"phone_number":null,"address":null,
                         "verified_claims":{"verification":{"trust_framework":null},"claims":{"given_name":null,"birthdate":null}}},
             "userinfo":{"email":null,"phone_number":null,"address":null,
                         "verified_claims":{"verification":{"trust_framework":null},"claims":{"given_name":null,"birthdate":null}}}}""";

    static TesseraTestServer server;
    private static String passwordHash;
    private static int nextUser;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(FIRST_PARTY).name("First Party App").secret(SECRET)
                    .redirectUris(List.of(FIRST_PARTY_REDIRECT)).scopes(List.of("openid", "profile", "email", "offline_access"))
                    .claims(List.of("email", "name", "verified_claims")).consent(ClientConfig.CONSENT_SKIP).build());
            clients.add(ClientConfig.builder(CAPPED).name("Capped App").secret(SECRET)
                    .redirectUris(List.of(CAPPED_REDIRECT)).scopes(List.of("openid", "email", "phone"))
                    .claims(List.of("email")).build());
            return config.withClients(clients);
        });
        passwordHash = new Argon2idPasswordHasher().hash(PASSWORD.toCharArray());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // --- the audit case

    @Test
    void aRememberedConsentToOpenidDoesNotCoverAClaimsRequestForEverythingElse() {
        String user = freshUser();
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.signInAndAllow(AuthorizeQuery.web("plain").encoded(), user, PASSWORD));

        HttpResponse<String> silent = browser.get("/authorize?" + AuthorizeQuery.web("silent")
                .with("claims", EVERYTHING).with("prompt", "none").encoded());
        HttpResponse<String> asked = browser.get("/authorize?" + AuthorizeQuery.web("asked")
                .with("claims", EVERYTHING).encoded());

        assertThat(redirectTo(WEB_REDIRECT, silent)).containsEntry("error", "consent_required").doesNotContainKey("code");
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("name=\"decision\"");
    }

    @Test
    void theTokensOfAnOpenidOnlyConsentCarryNoneOfTheClaimsAskedForLater() {
        String user = freshUser();
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.signInAndAllow(AuthorizeQuery.web("plain").encoded(), user, PASSWORD));
        AuthorizeQuery query = AuthorizeQuery.web("deny").with("claims", EVERYTHING);
        HttpResponse<String> page = browser.get("/authorize?" + query.encoded());

        HttpResponse<String> denied = browser.submit(page, Map.of("decision", "deny"));

        assertThat(redirectTo(WEB_REDIRECT, denied)).containsEntry("error", "access_denied").doesNotContainKey("code");
        // A code for the same user and client without the page (prompt=none, scopes only) still has nothing more.
        AuthorizeQuery plain = AuthorizeQuery.web("again");
        TokenClient.Response tokens = AuthorizeSteps.redeemWeb(server, plain,
                codeFrom(WEB_REDIRECT, browser.get("/authorize?" + plain.with("prompt", "none").encoded())));
        assertThat(AuthorizeSteps.idToken(tokens).getClaims())
                .doesNotContainKeys("email", "phone_number", "address", "verified_claims");
        assertThat(TokenFlows.userInfo(server, tokens.string("access_token")).json())
                .doesNotContainKeys("email", "phone_number", "address", "verified_claims");
    }

    @Test
    void claimsAskedForOneByOneAreReleasedOnceTheUserAllowsThem() {
        TokenClient.Response tokens = allowed(freshUser(), "openid", EVERYTHING);

        JWTClaimsSet id = AuthorizeSteps.idToken(tokens);
        assertThat(id.getClaims()).containsEntry("email", "vera@example.com").containsEntry("phone_number", "+49 30 1234")
                .containsEntry("address", ADDRESS).doesNotContainKeys("name", "email_verified");
        assertThat(id.getClaim("verified_claims")).isEqualTo(Map.of(
                "verification", Map.of("trust_framework", "eidas"),
                "claims", Map.of("given_name", "Vera", "birthdate", "1990-01-28")));
        Map<String, Object> userinfo = TokenFlows.userInfo(server, tokens.string("access_token")).json();
        assertThat(userinfo).containsEntry("email", "vera@example.com").containsKey("verified_claims");
    }

    // --- the consent page names them

    @Test
    void theConsentPageNamesARequestedClaimAndAVerifiedClaimInWords() {
        HttpResponse<String> page = consentPage(freshUser(), """
                {"id_token":{"phone_number":null},
                 "userinfo":{"verified_claims":{"verification":{"trust_framework":null},
                                                "claims":{"given_name":null,"birthdate":null}}}}""");

        assertThat(page.body()).contains("See your phone number",
                "See your verified first name and birth date, checked by eidas");
        assertThat(page.body()).doesNotContain("Required");
    }

    @Test
    void essentialClaimsAreMarkedRequiredAndTheClientsReasonIsShown() {
        HttpResponse<String> page = consentPage(freshUser(), """
                {"id_token":{"email":{"essential":true},"phone_number":null},
                 "userinfo":{"verified_claims":{"claims":{"birthdate":{"essential":true,
                                                          "purpose":"We must know you are over 18"}}}}}""");

        assertThat(page.body()).contains("See your email address <span class=\"tag\">Required</span>",
                "See your verified birth date, checked by eidas <span class=\"tag\">Required</span>",
                "says why: We must know you are over 18");
        assertThat(page.body()).contains("<span class=\"scope-text\">See your phone number</span>");
    }

    @Test
    void claimsCoveredByTheRequestedScopesAreNotNamedTwice() {
        AuthorizeQuery query = AuthorizeQuery.web("covered").with("scope", "openid email")
                .with("claims", "{\"id_token\":{\"email\":{\"essential\":true},\"phone_number\":null}}");
        UserAgent browser = server.userAgent();
        HttpResponse<String> page = browser.submit(browser.get("/authorize?" + query.encoded()),
                Map.of("username", freshUser(), "password", PASSWORD));

        assertThat(page.body()).contains("See your email address</span>", "See your phone number")
                .doesNotContain("Required");
    }

    // --- stored with the grant

    @Test
    void userinfoHonoursTheUserinfoMemberAndTheIdTokenOnlyItsOwn() {
        TokenClient.Response tokens = allowed(freshUser(), "openid",
                "{\"userinfo\":{\"email\":null},\"id_token\":{\"phone_number\":null}}");

        assertThat(AuthorizeSteps.idToken(tokens).getClaims()).containsKey("phone_number").doesNotContainKey("email");
        assertThat(TokenFlows.userInfo(server, tokens.string("access_token")).json())
                .containsEntry("email", "vera@example.com").doesNotContainKey("phone_number");
    }

    @Test
    void everyRefreshHonoursTheClaimsRequestOfTheGrant() {
        TokenClient.Response first = allowed(freshUser(), "openid offline_access",
                "{\"userinfo\":{\"email\":null,\"verified_claims\":{\"claims\":{\"family_name\":null}}},"
                        + "\"id_token\":{\"phone_number\":null}}");

        TokenClient.Response second = refresh(first.string("refresh_token"));
        TokenClient.Response third = refresh(second.string("refresh_token"));

        assertThat(AuthorizeSteps.idToken(third).getClaims()).containsKey("phone_number").doesNotContainKey("email");
        Map<String, Object> userinfo = TokenFlows.userInfo(server, third.string("access_token")).json();
        assertThat(userinfo).containsEntry("email", "vera@example.com").doesNotContainKey("phone_number");
        assertThat(userinfo.get("verified_claims")).isEqualTo(Map.of("verification", Map.of("trust_framework", "eidas"),
                "claims", Map.of("family_name", "Verified")));
    }

    @Test
    void aRefreshedGrantWithoutAClaimsRequestStillReleasesOnlyItsScopes() {
        TokenClient.Response first = allowed(freshUser(), "openid email offline_access", null);

        TokenClient.Response refreshed = refresh(first.string("refresh_token"));

        assertThat(TokenFlows.userInfo(server, refreshed.string("access_token")).json())
                .containsEntry("email", "vera@example.com").doesNotContainKeys("phone_number", "verified_claims");
    }

    // --- remembered consent

    @Test
    void aRememberedConsentCoversTheSameClaimsAndARequestForMoreAsksAgain() {
        String user = freshUser();
        UserAgent browser = server.userAgent();
        String email = "{\"userinfo\":{\"email\":null}}";
        codeFrom(WEB_REDIRECT, browser.signInAndAllow(AuthorizeQuery.web("first").with("claims", email).encoded(),
                user, PASSWORD));

        HttpResponse<String> same = browser.get("/authorize?" + AuthorizeQuery.web("same").with("claims", email).encoded());
        HttpResponse<String> more = browser.get("/authorize?" + AuthorizeQuery.web("more")
                .with("claims", "{\"userinfo\":{\"email\":null,\"phone_number\":null}}").encoded());
        HttpResponse<String> verified = browser.get("/authorize?" + AuthorizeQuery.web("verified")
                .with("claims", "{\"userinfo\":{\"verified_claims\":{\"claims\":{\"birthdate\":null}}}}").encoded());

        codeFrom(WEB_REDIRECT, same);
        assertThat(more.body()).contains("name=\"decision\"");
        assertThat(verified.body()).contains("name=\"decision\"");
    }

    @Test
    void claimsCoveredByAGrantedScopeNeedNoSecondConsent() {
        String user = freshUser();
        UserAgent browser = server.userAgent();
        codeFrom(WEB_REDIRECT, browser.signInAndAllow(AuthorizeQuery.web("scope").with("scope", "openid email").encoded(),
                user, PASSWORD));

        HttpResponse<String> again = browser.get("/authorize?" + AuthorizeQuery.web("again").with("scope", "openid email")
                .with("claims", "{\"id_token\":{\"email\":{\"essential\":true}}}").encoded());

        codeFrom(WEB_REDIRECT, again);
    }

    // --- the client's cap and consent: skip

    @Test
    void aConsentSkipClientGetsWhatItAsksForWithinItsClaimsListWithoutAPage() {
        AuthorizeQuery query = AuthorizeQuery.client(FIRST_PARTY, FIRST_PARTY_REDIRECT, "skip").with("claims", EVERYTHING);
        HttpResponse<String> response = server.userAgent().signInAndAllow(query.encoded(), freshUser(), PASSWORD);
        String code = codeFrom(FIRST_PARTY_REDIRECT, response);

        TokenClient.Response tokens = server.tokenClient().token(FIRST_PARTY, SECRET, Map.of("grant_type",
                "authorization_code", "code", code, "redirect_uri", FIRST_PARTY_REDIRECT,
                "code_verifier", query.pkce().verifier()));

        assertThat(AuthorizeSteps.idToken(tokens).getClaims()).containsEntry("email", "vera@example.com")
                .containsKey("verified_claims").doesNotContainKeys("phone_number", "address");
    }

    @Test
    void theClientsClaimsListCapsWhatTheUserCanBeAskedForAndWhatGoesOut() {
        AuthorizeQuery query = AuthorizeQuery.client(CAPPED, CAPPED_REDIRECT, "capped").with("scope", "openid phone")
                .with("claims", EVERYTHING);
        String code = codeFrom(CAPPED_REDIRECT, server.userAgent().signInAndAllow(query.encoded(), freshUser(), PASSWORD));

        TokenClient.Response tokens = server.tokenClient().token(CAPPED, SECRET, Map.of("grant_type",
                "authorization_code", "code", code, "redirect_uri", CAPPED_REDIRECT,
                "code_verifier", query.pkce().verifier()));

        assertThat(AuthorizeSteps.idToken(tokens).getClaims()).containsEntry("email", "vera@example.com")
                .doesNotContainKeys("phone_number", "address", "verified_claims");
    }

    // --- helpers

    /** A new user with standard and verified claims, no session and no consent yet. */
    private static synchronized String freshUser() {
        String username = "claims-user-" + nextUser++;
        server.app().stores().users().upsert(new User(UserConfig.defaultId(username), username, passwordHash, List.of(),
                Map.of("name", "Vera Verified", "email", "vera@example.com", "email_verified", true,
                        "phone_number", "+49 30 1234", "address", ADDRESS), VERIFIED, List.of(), true));
        return username;
    }

    /** Signs {@code user} in at the WEB client with this claims request and returns the consent page. */
    private static HttpResponse<String> consentPage(String user, String claims) {
        UserAgent browser = server.userAgent();
        HttpResponse<String> login = browser.get("/authorize?" + AuthorizeQuery.web("page").with("claims", claims).encoded());
        HttpResponse<String> page = browser.submit(login, Map.of("username", user, "password", PASSWORD));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"decision\"");
        return page;
    }

    /** Signs in at the WEB client, allows the consent page and redeems the code. */
    private static TokenClient.Response allowed(String user, String scope, String claims) {
        AuthorizeQuery query = AuthorizeQuery.web("allowed").with("scope", scope);
        if (claims != null) {
            query.with("claims", claims);
        }
        String code = codeFrom(WEB_REDIRECT, server.userAgent().signInAndAllow(query.encoded(), user, PASSWORD));
        TokenClient.Response tokens = AuthorizeSteps.redeemWeb(server, query, code);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return tokens;
    }

    private static TokenClient.Response refresh(String refreshToken) {
        TokenClient.Response response = server.tokenClient().token(WEB, WEB_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }
}
