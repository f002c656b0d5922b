package dev.tessera.server.http.view;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.server.application.authorize.ConsentClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders every page with realistic sample data into {@code target/page-previews/} (with
 * {@code static/} copied next to them, so {@code /static/tessera.css} resolves when the folder is
 * served) and, where Chromium is installed, screenshots each at 1280x900 and 390x844 in light and
 * dark into {@code target/page-previews/screenshots/}. A design aid, not a test: run it with
 * {@code TESSERA_PAGE_PREVIEWS=1 ./mvnw -B -o -q -pl tessera-server test -Dtest=PagePreviews}
 * or call {@link #main}; then open the PNGs.
 */
class PagePreviews {
    private static final Path OUT = Path.of("target", "page-previews");
    private static final Path STATIC_SOURCE = Path.of("src", "main", "resources", "static");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final int[][] VIEWPORTS = {{1280, 900}, {390, 844}};

    public static void main(String[] args) throws Exception {
        List<String> pages = render();
        if (new File(CHROMIUM).canExecute()) {
            screenshot(pages);
        }
        System.out.println("Previews in " + OUT.toAbsolutePath());
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "TESSERA_PAGE_PREVIEWS", matches = "1")
    void renderAndScreenshotEveryPage() throws Exception {
        main(new String[0]);
    }

    private static List<String> render() throws IOException {
        HtmlTemplates templates = HtmlTemplates.precompiled();
        String product = "Tessera";
        String client = "Example Web App";
        String csrf = "q3V9d2lN0Xo5cGx4TjVYZk1Qd0dRZ1Zz";
        String handle = "req_7GmKc2pXbWq9";
        Map<String, String> pages = new LinkedHashMap<>();

        LoginPage login = LoginPage.blank(product, client, csrf, handle, null).withRegisterUrl("/register");
        pages.put("login", templates.login(login));
        pages.put("login-failed", templates.login(login.afterFailedAttempt("alice", csrf)));
        pages.put("consent", templates.consent(ConsentPage.of(product, client, csrf, handle, "alice",
                List.of("openid", "profile", "email", "offline_access", "todo.read"))));
        pages.put("consent-claims", templates.consent(ConsentPage.of(product, client, csrf, handle, "alice",
                List.of("openid")).withClaims(ClaimDescriptions.describeAll(List.of(
                new ConsentClaim("email", true, false, List.of(), null),
                new ConsentClaim("phone_number", false, false, List.of(), null),
                new ConsentClaim("given_name", true, true, List.of("eidas"),
                        "We must check who you are before we open your account"),
                new ConsentClaim("birthdate", false, true, List.of("eidas"), null))))));
        pages.put("login-otp", templates.loginOtp(LoginOtpPage.of(product, client, csrf, handle, "ticket", null)));
        pages.put("login-otp-wrong", templates.loginOtp(LoginOtpPage.of(product, client, csrf, handle, "ticket",
                "That code didn't work. Check your authenticator app and enter the current code.")));
        String enrolSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        String keyUri = "otpauth://totp/id.example.com:alice?secret=" + enrolSecret
                + "&issuer=id.example.com&algorithm=SHA1&digits=6&period=30";
        pages.put("totp-enrol", templates.totpEnrol(TotpEnrolPage.offer(product, "alice", csrf, "sealed-offer",
                enrolSecret, keyUri, null)));
        pages.put("totp-enrol-wrong", templates.totpEnrol(TotpEnrolPage.offer(product,
                "maximilian.alexander.featherstonehaugh@research-and-development.example.com", csrf, "sealed-offer",
                enrolSecret, keyUri, "That code didn't match. Check the app shows this account and enter its current code.")));
        pages.put("totp-enrolled", templates.totpEnrol(TotpEnrolPage.done(product, "alice",
                "From now on you sign in with your password and a code from your authenticator app.")));
        RegisterPage register = RegisterPage.blank(product, client, csrf, handle, 12, "/login?" + handle);
        pages.put("register", templates.register(register));
        pages.put("register-refused", templates.register(register.typed("New.User", "new.user@example,com")
                .withAlert("Your account was not created. Please correct the fields marked below.")
                .withFieldErrors("Usernames are lower case: try \u201Cnew.user\u201D.",
                        "Enter an email address like name@example.com.",
                        "The password must have at least 12 characters.")));
        pages.put("registered", templates.registered(new RegisteredPage(product, "new.user", client, "/login?" + handle)));
        DevCallbackPage.Command redeem = new DevCallbackPage.Command("Or redeem it yourself with curl (once, within 60 seconds):",
                "curl -s -u 'demo-app:SECRET' http://127.0.0.1:8080/token \\\n  -d grant_type=authorization_code \\\n"
                        + "  --data-urlencode code='tsr_ac_SplxlOBeZQQYbYS6WxSbIA' \\\n  -d code_verifier=VERIFIER");
        pages.put("dev-callback", templates.devCallback(DevCallbackPage.received(product, "tsr_ac_SplxlOBeZQQYbYS6WxSbIA",
                "af0ifjsldkj", "http://127.0.0.1:8080", csrf, redeem)));
        DecodedJwt accessToken = new DecodedJwt("signed JWT", "RS256", "k1",
                "{\n  \"typ\" : \"at+jwt\",\n  \"alg\" : \"RS256\",\n  \"kid\" : \"woCThLcBhlQVcEtoOUh_veHJ433iuo\"\n}",
                "{\n  \"iss\" : \"http://127.0.0.1:8080\",\n  \"sub\" : \"b4c15d6b-6d90-3309-ab75-9ba52b02f640\",\n"
                        + "  \"aud\" : \"demo-app\",\n  \"scope\" : \"openid profile email offline_access\",\n"
                        + "  \"exp\" : 1796287344\n}", java.time.Instant.ofEpochSecond(1796287344), "expires in 15\u00A0minutes");
        pages.put("dev-callback-redeemed", templates.devCallback(DevCallbackPage.redeemed(product, List.of(
                new DevCallbackPage.IssuedToken("Access token", "For APIs: a resource server checks it and reads its claims.",
                        "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln", accessToken,
                        new DevCallbackPage.Command("Ask userinfo who signed in:", "curl -s -H 'Authorization: Bearer eyJ0...' \\\n"
                                + "  http://127.0.0.1:8080/userinfo")),
                new DevCallbackPage.IssuedToken("Refresh token", "Opaque: only Tessera reads it.", "tsr_rt_f88kapqPhFXBJQUx",
                        null, null)), "openid profile email offline_access",
                new DevCallbackPage.Command("The token request the button made, as curl:", redeem.text()))));
        pages.put("dev-callback-failed", templates.devCallback(DevCallbackPage.failed(product, "The code could not be redeemed",
                "invalid_grant", "the authorization code was already used; tokens issued with it have been revoked",
                "Start again from the authorize URL that serve --dev printed.")));
        pages.put("error-unknown-client", templates.error(ErrorPage.unknownClient(product, "0f8c2e7a-4b1d-4c3e-9a51-6d2f8b0e1c47")));
        pages.put("error-redirect-uri", templates.error(ErrorPage.invalidRedirectUri(product, "b7d41c09-e2a3-4f8d-8c6b-13a9e5f0d2b8")));
        pages.put("error-unavailable", templates.error(ErrorPage.temporarilyUnavailable(product, "5e1d9a2c-7f30-4b6e-a8d4-92c0b1f7e365")));
        pages.put("logged-out", templates.loggedOut(new LoggedOutPage(product, client, "https://app.example.com/signed-out?state=af0ifjsldkj")));
        pages.put("logged-out-plain", templates.loggedOut(new LoggedOutPage(product, null, null)));
        Map<String, String> response = new LinkedHashMap<>();
        response.put("code", "SplxlOBeZQQYbYS6WxSbIA");
        response.put("state", "af0ifjsldkj");
        response.put("iss", "https://id.example.com");
        String formPost = templates.formPost(new FormPostPage(product, client, "https://app.example.com/callback", response));
        // the real page submits itself at once; the preview shows what people without JavaScript see
        pages.put("form-post", formPost.replace("<script src=\"/static/form-post.js\" defer></script>", ""));

        Files.createDirectories(OUT.resolve("static"));
        try (var files = Files.list(STATIC_SOURCE)) {
            for (Path file : files.toList()) {
                Files.copy(file, OUT.resolve("static").resolve(file.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Files.writeString(OUT.resolve(page.getKey() + ".html"), page.getValue(), StandardCharsets.UTF_8);
        }
        return new ArrayList<>(pages.keySet());
    }

    private static void screenshot(List<String> pages) throws Exception {
        Path shots = Files.createDirectories(OUT.resolve("screenshots"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = OUT.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            boolean found = file.startsWith(OUT) && Files.isRegularFile(file);
            byte[] body = found ? Files.readAllBytes(file) : new byte[0];
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            exchange.getResponseHeaders().set("Content-Type", name.endsWith(".css") ? "text/css"
                    : name.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8");
            // the CSP the server will send, so the previews prove no inline style or script is needed
            exchange.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
            exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            for (String page : pages) {
                for (int[] size : VIEWPORTS) {
                    for (boolean dark : new boolean[]{false, true}) {
                        String png = page + "-" + size[0] + (dark ? "-dark" : "-light") + ".png";
                        chromium(base + page + ".html", size, dark, shots.resolve(png));
                    }
                }
            }
        } finally {
            server.stop(0);
        }
    }

    private static void chromium(String url, int[] size, boolean dark, Path png) throws Exception {
        Path profile = Files.createTempDirectory("tessera-preview-chromium");
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile, "--window-size=" + size[0] + "," + size[1],
                "--screenshot=" + png.toAbsolutePath()));
        if (dark) {
            command.add("--blink-settings=preferredColorScheme=0");
            command.add("--force-dark-mode");
        }
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium timed out on " + url);
        }
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
