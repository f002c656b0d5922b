package dev.tessera.server.http.view;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTemplatesTest {
    private static final HtmlTemplates TEMPLATES = HtmlTemplates.precompiled();
    private static final String HOSTILE = "<script>alert(1)</script>";
    private static final String ATTRIBUTE_BREAKER = "\"><img src=x onerror=alert(1)>";

    private static LoginPage login() {
        return LoginPage.blank("Tessera", "Example Web App", "csrf-123", "req-456", null);
    }

    /**
     * The opening tag of the element with this id, e.g. {@code <input id="password" ...>}: the rest of
     * its line, since the templates put one tag per line and an escaped value may hold a literal {@code >}.
     */
    private static String tagWithId(String html, String id) {
        Matcher matcher = Pattern.compile("<[a-z]+ [^>\n]*id=\"" + Pattern.quote(id) + "\"[^\n]*").matcher(html);
        assertThat(matcher.find()).as("element with id %s", id).isTrue();
        return matcher.group();
    }

    private static int count(String html, String needle) {
        int count = 0;
        for (int at = html.indexOf(needle); at >= 0; at = html.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    @Nested
    class EveryPage {
        private List<String> allPages() {
            Map<String, String> params = Map.of("code", "abc", "state", "xyz");
            return List.of(
                    TEMPLATES.login(login()),
                    TEMPLATES.consent(ConsentPage.of("Tessera", "Web", "c", "r", "alice", List.of("openid"))),
                    TEMPLATES.register(RegisterPage.blank("Tessera", "Web", "c", "r", 12, "/login?r")),
                    TEMPLATES.registered(new RegisteredPage("Tessera", "alice", "Web", "/login?r")),
                    TEMPLATES.devCallback(DevCallback.received()),
                    TEMPLATES.devCallback(DevCallback.redeemed()),
                    TEMPLATES.devCallback(DevCallbackPage.failed("Tessera", "The code could not be redeemed",
                            "invalid_grant", "the authorization code was already used", "Start again.")),
                    TEMPLATES.error(ErrorPage.unknownClient("Tessera", "rid")),
                    TEMPLATES.loggedOut(new LoggedOutPage("Tessera", null, null)),
                    TEMPLATES.logoutConfirm(new LogoutConfirmPage("Tessera", "Web", "alice", "c", "web",
                            "https://app.example.com/bye", "s")),
                    TEMPLATES.formPost(new FormPostPage("Tessera", "Web", "https://app.example.com/cb", params)));
        }

        @Test
        void declaresEnglishViewportAndTheOneStylesheet() {
            for (String html : allPages()) {
                assertThat(html).startsWith("<!DOCTYPE html>")
                        .contains("<html lang=\"en\">")
                        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                        .contains("<link rel=\"stylesheet\" href=\"/static/tessera.css\">")
                        .contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">");
            }
        }

        @Test
        void needsNoInlineStyleOrScriptSoTheStrictCspHolds() {
            for (String html : allPages()) {
                assertThat(html).doesNotContain("style=").doesNotContain("<style")
                        .doesNotContainPattern("<script(?![^>]*\\ssrc=\"/static/)")
                        .doesNotContainPattern("\\son[a-z]+=")
                        .doesNotContain("javascript:")
                        .doesNotContain("http://").doesNotContain("//cdn");
            }
        }

        @Test
        void showsTheIssuersProductNameEscaped() {
            String html = TEMPLATES.error(ErrorPage.serverError("Acme <b>ID</b>", "rid"));

            assertThat(html).contains("<span class=\"brand-name\">Acme &lt;b&gt;ID&lt;/b&gt;</span>")
                    .doesNotContain("<b>ID</b>");
        }
    }

    @Nested
    class Login {
        @Test
        void hasLabelledUsernameAndPasswordInputsWithAutocomplete() {
            String html = TEMPLATES.login(login());

            assertThat(html).contains("<label for=\"username\">").contains("<label for=\"password\">");
            assertThat(tagWithId(html, "username")).contains("name=\"username\"").contains("autocomplete=\"username\"");
            assertThat(tagWithId(html, "password")).contains("name=\"password\"").contains("type=\"password\"")
                    .contains("autocomplete=\"current-password\"");
            assertThat(html).contains("<button class=\"button button-primary\" type=\"submit\">Sign in</button>");
        }

        @Test
        void postsCsrfTokenAndRequestHandleAsHiddenFields() {
            String html = TEMPLATES.login(login());

            assertThat(html).contains("<form class=\"form\" method=\"post\" action=\"/login\">")
                    .contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-123\">")
                    .contains("<input type=\"hidden\" name=\"request\" value=\"req-456\">");
        }

        @Test
        void namesTheClientTheUserIsSigningInTo() {
            assertThat(TEMPLATES.login(login()))
                    .contains("to continue to <strong class=\"client-name\">Example Web App</strong>");
        }

        @Test
        void escapesAHostileClientName() {
            String html = TEMPLATES.login(LoginPage.blank("Tessera", HOSTILE, "c", "r", null));

            assertThat(html).doesNotContain(HOSTILE).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        }

        @Test
        void escapesAHostileUsernameInsideTheValueAttribute() {
            String html = TEMPLATES.login(login().afterFailedAttempt(ATTRIBUTE_BREAKER, "csrf-2"));

            assertThat(html).doesNotContain("<img").doesNotContain(ATTRIBUTE_BREAKER);
            assertThat(tagWithId(html, "username")).contains("value=\"&#34;>&lt;img src=x onerror=alert(1)>\"");
        }

        @Test
        void escapesHostileHiddenFieldValues() {
            String html = TEMPLATES.login(LoginPage.blank("Tessera", "Web", ATTRIBUTE_BREAKER, ATTRIBUTE_BREAKER, null));

            assertThat(html).doesNotContain("<img");
        }

        @Test
        void keepsTheUsernameButNeverThePasswordAfterAFailedAttempt() {
            String html = TEMPLATES.login(login().afterFailedAttempt("alice", "csrf-2"));

            assertThat(tagWithId(html, "username")).contains("value=\"alice\"");
            assertThat(tagWithId(html, "password")).doesNotContain("value").contains("autofocus");
            assertThat(html).contains("name=\"csrf\" value=\"csrf-2\"");
        }

        @Test
        void showsOneGenericMessageInAnAlertRegionAfterAFailedAttempt() {
            String html = TEMPLATES.login(login().afterFailedAttempt("alice", "csrf-2"));

            assertThat(count(html, "role=\"alert\"")).isEqualTo(1);
            assertThat(html).contains("role=\"alert\" id=\"form-error\">" + LoginPage.BAD_CREDENTIALS + "</div>");
            assertThat(tagWithId(html, "username")).contains("aria-describedby=\"form-error\"");
        }

        @Test
        void hasNoAlertRegionWithoutAnError() {
            String html = TEMPLATES.login(login());

            assertThat(html).doesNotContain("role=\"alert\"").doesNotContain("aria-describedby");
            assertThat(tagWithId(html, "username")).doesNotContain("value").contains("autofocus");
            assertThat(tagWithId(html, "password")).doesNotContain("autofocus");
        }

        @Test
        void prefillsTheUsernameFromALoginHint() {
            String html = TEMPLATES.login(LoginPage.blank("Tessera", "Web", "c", "r", "alice@example.com"));

            assertThat(tagWithId(html, "username")).contains("value=\"alice@example.com\"");
        }

        @Test
        void linksToRegistrationOnlyWhenOffered() {
            assertThat(TEMPLATES.login(login())).doesNotContain("Create an account");
            assertThat(TEMPLATES.login(login().withRegisterUrl("/register")))
                    .contains("<a href=\"/register\">Create an account</a>");
        }
    }

    @Nested
    class Consent {
        private ConsentPage page(String clientName, List<String> scopes) {
            return ConsentPage.of("Tessera", clientName, "csrf-123", "req-456", "alice", scopes);
        }

        @Test
        void hasAllowAsPrimaryAndDenyAsSecondaryRealButtons() {
            String html = TEMPLATES.consent(page("Example Web App", List.of("openid")));

            assertThat(html)
                    .contains("<button class=\"button button-primary\" type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>")
                    .contains("<button class=\"button button-secondary\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>");
        }

        @Test
        void postsCsrfTokenAndRequestHandleToConsent() {
            String html = TEMPLATES.consent(page("Example Web App", List.of("openid")));

            assertThat(html).contains("method=\"post\" action=\"/consent\"")
                    .contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-123\">")
                    .contains("<input type=\"hidden\" name=\"request\" value=\"req-456\">");
        }

        @Test
        void describesEachScopeInWordsWithTheRawScopeBeside() {
            String html = TEMPLATES.consent(page("Example Web App", List.of("openid", "email", "todo.read")));

            assertThat(html).contains("<span class=\"scope-text\">See your email address</span>")
                    .contains("<code class=\"scope-raw\">email</code>")
                    .contains("<code class=\"scope-raw\">openid</code>")
                    .contains("<code class=\"scope-raw\">todo.read</code>");
            assertThat(count(html, "<li class=\"scope\">")).isEqualTo(3);
        }

        @Test
        void namesTheClientAndTheSignedInUser() {
            String html = TEMPLATES.consent(page("Example Web App", List.of("openid")));

            assertThat(html).contains("Example Web App</span> wants to access your account")
                    .contains("Signed in as <strong>alice</strong>");
        }

        @Test
        void escapesAHostileClientNameEverywhereItAppears() {
            String html = TEMPLATES.consent(page(HOSTILE, List.of("openid")));

            assertThat(html).doesNotContain("<script>");
            assertThat(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;")).isEqualTo(3);
        }

        @Test
        void escapesAHostileUsername() {
            String html = TEMPLATES.consent(ConsentPage.of("Tessera", "Web", "c", "r", HOSTILE, List.of("openid")));

            assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
        }

        @Test
        void namesRequestedClaimsAfterTheScopesWithRequiredAndTheClientsReason() {
            String html = TEMPLATES.consent(page("Example Web App", List.of("openid")).withClaims(List.of(
                    new ClaimDescription("See your phone number", "phone_number", true, null),
                    new ClaimDescription("See your verified birth date, checked by eidas", "verified_claims: birthdate",
                            false, "to check your age"))));

            assertThat(html).contains("<span class=\"scope-text\">See your phone number <span class=\"tag\">Required</span></span>")
                    .contains("<code class=\"scope-raw\">phone_number</code>")
                    .contains("<span class=\"scope-text\">See your verified birth date, checked by eidas</span>")
                    .contains("<span class=\"scope-purpose\">Example Web App says why: to check your age</span>");
            assertThat(count(html, "Required")).isEqualTo(1);
            assertThat(html.indexOf("phone_number")).isGreaterThan(html.indexOf(">openid<"));
        }

        @Test
        void escapesAHostilePurposeAndClaimName() {
            String html = TEMPLATES.consent(page("Web", List.of("openid")).withClaims(List.of(
                    new ClaimDescription("See your verified \u201c" + HOSTILE + "\u201d", HOSTILE, false, HOSTILE))));

            assertThat(html).doesNotContain("<script>");
            assertThat(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;")).isEqualTo(3);
        }
    }

    @Nested
    class Register {
        private RegisterPage refused() {
            return RegisterPage.blank("Tessera", "Web", "c", "r", 12, "/login?r").typed("bob", "bob@example.com")
                    .withAlert("Please correct the fields marked below.")
                    .withFieldErrors("That username is already taken.", null, "The password must have at least 12 characters.");
        }

        @Test
        void hasLabelledInputsForUsernameEmailAndANewPassword() {
            String html = TEMPLATES.register(RegisterPage.blank("Tessera", "Web", "c", "r", 12, "/login?r"));

            assertThat(html).contains("<label for=\"username\">", "<label for=\"email\">", "<label for=\"password\">")
                    .contains("name=\"csrf\" value=\"c\"").contains("name=\"request\" value=\"r\"")
                    .contains("<a href=\"/login?r\">Sign in</a>");
            assertThat(tagWithId(html, "email")).contains("type=\"email\"", "autocomplete=\"email\"");
            assertThat(tagWithId(html, "password")).contains("autocomplete=\"new-password\"", "minlength=\"12\"")
                    .doesNotContain("value");
            assertThat(html).contains("At least 12 characters.");
            assertThat(tagWithId(html, "username")).contains("autofocus");
        }

        @Test
        void keepsWhatWasTypedExceptThePasswordAndTiesEachProblemToItsField() {
            String html = TEMPLATES.register(refused());

            assertThat(tagWithId(html, "username")).contains("value=\"bob\"", "aria-invalid=\"true\"",
                    "aria-describedby=\"username-error username-hint\"", "autofocus");
            assertThat(tagWithId(html, "email")).contains("value=\"bob@example.com\"").doesNotContain("aria-invalid")
                    .doesNotContain("autofocus");
            assertThat(tagWithId(html, "password")).contains("aria-invalid=\"true\"",
                    "aria-describedby=\"password-error password-hint\"").doesNotContain("value=");
            assertThat(tagWithId(html, "username-error")).contains("That username is already taken.");
            assertThat(tagWithId(html, "password-error")).contains("must have at least 12 characters");
            assertThat(count(html, "role=\"alert\"")).isEqualTo(1);
        }

        @Test
        void aRefusedPasswordAloneMovesTheFocusToThePassword() {
            String html = TEMPLATES.register(RegisterPage.blank("Tessera", null, "c", "", 12, null)
                    .typed("bob", "bob@example.com").withFieldErrors(null, null, "too short"));

            assertThat(tagWithId(html, "password")).contains("autofocus");
            assertThat(tagWithId(html, "username")).doesNotContain("autofocus");
        }

        @Test
        void hasNoAlertRegionWithoutAnError() {
            String html = TEMPLATES.register(RegisterPage.blank("Tessera", null, "c", "", 12, null));

            assertThat(html).doesNotContain("role=\"alert\"").doesNotContain("Already have an account");
        }

        @Test
        void escapesWhatWasTyped() {
            String html = TEMPLATES.register(RegisterPage.blank("Tessera", HOSTILE, "c", "r", 12, null)
                    .typed(ATTRIBUTE_BREAKER, ATTRIBUTE_BREAKER).withFieldErrors(HOSTILE, HOSTILE, null));

            assertThat(html).doesNotContain("<script>").doesNotContain("<img");
        }

        @Test
        void theConfirmationLeadsToTheSignInWhenARequestIsWaiting() {
            String html = TEMPLATES.registered(new RegisteredPage("Tessera", "carol", "Example Web App",
                    "/login?client_id=web&login_hint=carol"));

            assertThat(html).contains("<strong class=\"username\">carol</strong>")
                    .contains("href=\"/login?client_id=web&amp;login_hint=carol\"")
                    .contains(">Continue to sign in</a>").contains("to continue to <strong class=\"client-name\">Example Web App</strong>");
        }

        @Test
        void theConfirmationSendsThePersonBackToTheirAppWithoutARequest() {
            String html = TEMPLATES.registered(new RegisteredPage("Tessera", "carol", null, null));

            assertThat(html).doesNotContain("href=\"/login").contains("Go back to the app");
        }
    }

    @Nested
    class DevCallback {
        static DevCallbackPage received() {
            return DevCallbackPage.received("Tessera", "c0de", "st", "https://id.example", "csrf-1",
                    new DevCallbackPage.Command("Or with curl:", "curl -s https://id.example/token -d code=c0de"));
        }

        static DevCallbackPage redeemed() {
            DecodedJwt decoded = new DecodedJwt("signed JWT", "RS256", "k1", "{\n  \"alg\" : \"RS256\"\n}",
                    "{\n  \"sub\" : \"<b>u</b>\"\n}", java.time.Instant.EPOCH, "expires in 15\u00A0minutes");
            return DevCallbackPage.redeemed("Tessera", List.of(
                    new DevCallbackPage.IssuedToken("Access token", "For APIs.", "eyJ.x.y", decoded,
                            new DevCallbackPage.Command("Userinfo:", "curl -H 'Authorization: Bearer eyJ.x.y' https://id.example/userinfo")),
                    new DevCallbackPage.IssuedToken("Refresh token", "Opaque.", "rt_1", null, null)), "openid",
                    new DevCallbackPage.Command("The request:", "curl -s https://id.example/token -d code=c0de"));
        }

        @Test
        void aReceivedCodeHasOneRealButtonPostingTheCodeWithACsrfToken() {
            String html = TEMPLATES.devCallback(received());

            assertThat(html).contains("<form class=\"form form-inline\" method=\"post\" action=\"/dev/callback\">")
                    .contains("name=\"csrf\" value=\"csrf-1\"").contains("name=\"code\" value=\"c0de\"")
                    .contains("<button class=\"button button-primary\" type=\"submit\">Redeem the code</button>")
                    .contains("<code>st</code>").contains("curl -s https://id.example/token -d code=c0de");
            assertThat(count(html, "<button")).isEqualTo(1);
        }

        @Test
        void redeemedTokensShowHeaderAndClaimsSideBySideWithTheExpiryAndNoForm() {
            String html = TEMPLATES.devCallback(redeemed());

            assertThat(html).contains("<h3 class=\"column-title\">Header</h3>", "<h3 class=\"column-title\">Claims</h3>")
                    .contains("<strong class=\"expiry\">expires in 15\u00A0minutes</strong>")
                    .contains("1970-01-01 00:00:00 UTC")
                    .contains("&lt;b&gt;u&lt;/b&gt;").doesNotContain("<b>u</b>")
                    .contains("rt_1").doesNotContain("<form");
            // the opaque refresh token gets no header or claims
            assertThat(count(html, "column-title\">Header")).isEqualTo(1);
        }

        @Test
        void aFailureIsAnAlertWithTheErrorCodeAndWhatToDo() {
            String html = TEMPLATES.devCallback(DevCallbackPage.failed("Tessera", "The code could not be redeemed",
                    "invalid_grant", "<i>used</i>", "Start again."));

            assertThat(html).contains("role=\"alert\"").contains("<code class=\"error-code\">invalid_grant</code>")
                    .contains("&lt;i&gt;used&lt;/i&gt;").contains("Start again.").doesNotContain("<form");
        }

        @Test
        void aFailureWithoutAnErrorCodeShowsNoEmptyAlertBox() {
            String html = TEMPLATES.devCallback(DevCallbackPage.failed("Tessera", "No authorization code arrived",
                    null, null, "Open the authorize URL."));

            assertThat(html).doesNotContain("class=\"alert\"").contains("No authorization code arrived",
                    "Open the authorize URL.");
        }

        @Test
        void theWideCardIsOnlyForThisPage() {
            assertThat(TEMPLATES.devCallback(received())).contains("<main class=\"card card-wide\">");
            assertThat(TEMPLATES.login(login())).contains("<main class=\"card\">");
        }
    }

    @Nested
    class Error {
        @Test
        void saysWhatHappenedWhatToDoAndTheRequestId() {
            String html = TEMPLATES.error(ErrorPage.invalidRedirectUri("Tessera", "0f8c2e7a-4b1d"));

            assertThat(html).contains("<h1 class=\"title\">We can't send you back to the app</h1>")
                    .contains("Go back to the app and try again.")
                    .contains("<dt>Request ID</dt>")
                    .contains("<code>0f8c2e7a-4b1d</code>");
        }

        @Test
        void omitsTheSupportBlockWithoutARequestId() {
            assertThat(TEMPLATES.error(ErrorPage.serverError("Tessera", null))).doesNotContain("Request ID");
        }

        @Test
        void escapesEveryText() {
            String html = TEMPLATES.error(new ErrorPage("Tessera", HOSTILE, HOSTILE, HOSTILE, HOSTILE));

            assertThat(html).doesNotContain("<script>");
            assertThat(count(html, "&lt;script&gt;")).isEqualTo(5); // <title>, h1, two paragraphs, request id
        }
    }

    @Nested
    class LoggedOut {
        @Test
        void confirmsSignOutAndLinksBackToTheClient() {
            String html = TEMPLATES.loggedOut(new LoggedOutPage("Tessera", "Example Web App",
                    "https://app.example.com/bye?state=a&b=c"));

            assertThat(html).contains("You're signed out")
                    .contains("<a class=\"button button-secondary\" href=\"https://app.example.com/bye?state=a&amp;b=c\">Return to Example Web App</a>");
        }

        @Test
        void suggestsClosingTheWindowWithoutAReturnLink() {
            String html = TEMPLATES.loggedOut(new LoggedOutPage("Tessera", null, null));

            assertThat(html).contains("You can close this window.").doesNotContain("<a ");
        }

        @Test
        void escapesAHostileClientNameInTheLink() {
            String html = TEMPLATES.loggedOut(new LoggedOutPage("Tessera", HOSTILE, "https://app.example.com/"));

            assertThat(html).doesNotContain("<script>").contains("Return to &lt;script&gt;");
        }
    }

    @Nested
    class LogoutConfirm {
        @Test
        void postsTheCsrfTokenAndTheRequestBackToLogoutWithOneRealButton() {
            String html = TEMPLATES.logoutConfirm(new LogoutConfirmPage("Tessera", "Example Web App", "alice", "csrf-1",
                    "web", "https://app.example.com/bye?x=1&y=2", "st-9"));

            assertThat(html).contains("<form class=\"form\" method=\"post\" action=\"/logout\">",
                    "<input type=\"hidden\" name=\"csrf\" value=\"csrf-1\">",
                    "<input type=\"hidden\" name=\"confirm\" value=\"yes\">",
                    "<input type=\"hidden\" name=\"client_id\" value=\"web\">",
                    "<input type=\"hidden\" name=\"post_logout_redirect_uri\" value=\"https://app.example.com/bye?x=1&amp;y=2\">",
                    "<input type=\"hidden\" name=\"state\" value=\"st-9\">",
                    "<button class=\"button button-primary\" type=\"submit\">Sign out</button>");
        }

        @Test
        void namesTheClientThatAskedAndTheSignedInUser() {
            String html = TEMPLATES.logoutConfirm(new LogoutConfirmPage("Tessera", "Example Web App", "alice", "c",
                    null, null, null));

            assertThat(html).contains("Sign out of Tessera?", "Signed in as <strong>alice</strong>",
                    "Example Web App</strong> asked to sign you out");
            assertThat(html).doesNotContain("name=\"client_id\"", "name=\"state\"", "name=\"post_logout_redirect_uri\"");
        }

        @Test
        void withoutAClientSaysWhatSigningOutDoes() {
            String html = TEMPLATES.logoutConfirm(new LogoutConfirmPage("Tessera", null, null, "c", null, null, null));

            assertThat(html).contains("You will be signed out of Tessera on this device.").doesNotContain("Signed in as");
        }

        @Test
        void escapesHostileNamesAndValues() {
            String html = TEMPLATES.logoutConfirm(new LogoutConfirmPage("Tessera", HOSTILE, HOSTILE, "c",
                    ATTRIBUTE_BREAKER, "com.example.app:/bye", ATTRIBUTE_BREAKER));

            assertThat(html).doesNotContain("<script>", "<img");
        }
    }

    @Nested
    class FormPost {
        private final Map<String, String> response = new LinkedHashMap<>();

        {
            response.put("code", "SplxlOBeZQQYbYS6WxSbIA");
            response.put("state", "af0ifjsldkj");
            response.put("iss", "https://id.example.com");
        }

        @Test
        void postsEveryParameterAsAHiddenInputToTheRedirectUri() {
            String html = TEMPLATES.formPost(new FormPostPage("Tessera", "Web", "https://app.example.com/cb", response));

            assertThat(html).contains("<form id=\"form-post\" class=\"form\" method=\"post\" action=\"https://app.example.com/cb\">")
                    .contains("<input type=\"hidden\" name=\"code\" value=\"SplxlOBeZQQYbYS6WxSbIA\">")
                    .contains("<input type=\"hidden\" name=\"state\" value=\"af0ifjsldkj\">")
                    .contains("<input type=\"hidden\" name=\"iss\" value=\"https://id.example.com\">");
            assertThat(count(html, "type=\"hidden\"")).isEqualTo(3);
        }

        @Test
        void submitsItselfWithTheStaticScriptAndOffersAContinueButton() {
            String html = TEMPLATES.formPost(new FormPostPage("Tessera", "Web", "https://app.example.com/cb", response));

            assertThat(html).contains("<script src=\"/static/form-post.js\" defer></script>")
                    .contains("<button class=\"button button-primary\" type=\"submit\">Continue</button>");
        }

        @Test
        void escapesHostileParameterNamesAndValues() {
            Map<String, String> hostile = Map.of(ATTRIBUTE_BREAKER, HOSTILE);

            String html = TEMPLATES.formPost(new FormPostPage("Tessera", HOSTILE, "https://app.example.com/cb", hostile));

            assertThat(html).doesNotContain("<img").doesNotContain("<script>alert");
        }

        @Test
        void onlyTheFormPostPageLoadsTheScript() {
            assertThat(TEMPLATES.login(login())).doesNotContain("<script");
        }
    }
}
