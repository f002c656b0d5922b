package dev.tessera.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs a user in through Tessera's own pages (authorize, login form with its CSRF field, code, token), as a
 * browser would, for benchmarks that need a user's ID token: the client must be {@code consent: skip}. Prints
 * {@code ID_TOKEN=...} (and {@code REFRESH_TOKEN=...} when one is issued) on stdout for the calling script;
 * credentials come from the environment. An optional seventh argument replaces the scope "openid email"; an eighth signs in that many times, each in
 * a fresh cookie jar (one grant and refresh token family each), printing one line pair per sign-in.
 *
 * <pre>
 * BENCH_USER_PASSWORD=.. BENCH_SECRET=.. java -cp CLASSPATH dev.tessera.bench.SignIn http://127.0.0.1:8080 \
 *      agent BENCH_SECRET http://127.0.0.1/callback bench-user BENCH_USER_PASSWORD
 * </pre>
 */
public final class SignIn {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private SignIn() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6 || args.length > 8) {
            throw new IllegalArgumentException("usage: SignIn ISSUER CLIENT SECRET_ENV REDIRECT_URI USERNAME PASSWORD_ENV"
                    + " [SCOPE [COUNT]]");
        }
        int count = args.length == 8 ? Integer.parseInt(args[7]) : 1;
        if (count < 1 || count > 256) {
            throw new IllegalArgumentException("COUNT must be between 1 and 256");
        }
        for (int i = 0; i < count; i++) {
            signIn(args);
        }
    }

    /** One sign-in in a fresh cookie jar, so each makes its own grant (and refresh token family). */
    private static void signIn(String[] args) throws Exception {
        URI issuer = URI.create(args[0]);
        LoadArgs.requireLoopback(issuer);
        String client = args[1];
        String secret = env(args[2]);
        String redirect = args[3];
        String username = args[4];
        String password = env(args[5]);
        String scope = args.length >= 7 ? args[6] : "openid email";

        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String authorize = issuer + "/authorize?" + form(Map.of("response_type", "code", "client_id", client,
                "redirect_uri", redirect, "scope", scope, "state", "bench",
                "code_challenge", challenge, "code_challenge_method", "S256"));

        HttpResponse<String> page = follow(http, HttpRequest.newBuilder(URI.create(authorize)).GET().build(), issuer);
        Map<String, String> fields = hiddenFields(page.body());
        fields.put("username", username);
        fields.put("password", password);
        HttpResponse<String> afterLogin = http.send(HttpRequest.newBuilder(issuer.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString());
        String location = afterLogin.headers().firstValue("Location").orElseThrow(() ->
                new IllegalStateException("sign-in did not redirect (HTTP " + afterLogin.statusCode()
                        + "); is the client consent: skip and the password right?"));
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        if (!location.startsWith(redirect) || !code.find()) {
            throw new IllegalStateException("no code in the redirect to " + location.replaceAll("\\?.*", "?..."));
        }
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(client, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> tokens = http.send(HttpRequest.newBuilder(issuer.resolve("/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "code", java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8),
                        "redirect_uri", redirect, "code_verifier", verifier)))).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher idToken = Pattern.compile("\"id_token\"\\s*:\\s*\"([^\"]+)\"").matcher(tokens.body());
        if (tokens.statusCode() != 200 || !idToken.find()) {
            throw new IllegalStateException("the code was not redeemed: HTTP " + tokens.statusCode());
        }
        System.out.println("ID_TOKEN=" + idToken.group(1));
        Matcher refreshToken = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"").matcher(tokens.body());
        if (refreshToken.find()) {
            System.out.println("REFRESH_TOKEN=" + refreshToken.group(1));
        }
    }

    // GET /authorize answers with the login page, possibly after a redirect to /login on the same server.
    private static HttpResponse<String> follow(HttpClient http, HttpRequest request, URI issuer)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        for (int hops = 0; hops < 3 && response.statusCode() / 100 == 3; hops++) {
            URI next = issuer.resolve(response.headers().firstValue("Location").orElseThrow());
            response = http.send(HttpRequest.newBuilder(next).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the sign-in page answered HTTP " + response.statusCode());
        }
        return response;
    }

    private static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(html);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("&amp;", "&").replace("&quot;", "\""));
        }
        if (!fields.containsKey("csrf")) {
            throw new IllegalStateException("the sign-in page has no csrf field");
        }
        return fields;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
