package dev.tessera.server.testsupport;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A cookie-keeping HTTP user agent that does not follow redirects, so tests can drive the login and
 * consent forms the way a browser would and inspect every hop.
 */
public final class UserAgent {
    private final URI base;
    private final CookieManager cookies;
    private final HttpClient http;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public UserAgent(URI base) {
        this(base, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    private UserAgent(URI base, CookieManager cookies) {
        this.base = base;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The same browser, cookies and all, sending its next requests to {@code otherBase}: another instance behind a
     * load balancer without sticky sessions. Cookies set through either agent are seen by both.
     */
    public UserAgent at(URI otherBase) {
        UserAgent moved = new UserAgent(otherBase, cookies);
        moved.headers.putAll(headers);
        return moved;
    }

    /** Sends {@code name: value} with every later request, e.g. X-Forwarded-For behind a trusted proxy. */
    public UserAgent header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The value of this agent's cookie {@code name}, or null. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(java.net.HttpCookie::getValue).findFirst().orElse(null);
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
    }

    /** Submits the page's form with its hidden fields plus {@code extra} (e.g. username, decision). */
    public HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>(HtmlForms.hiddenInputs(page.body()));
        form.putAll(extra);
        String action = HtmlForms.formAction(page.body());
        return postForm(action, form);
    }

    /** GET /authorize, sign in with the password and allow consent if asked; returns the final redirect. */
    public HttpResponse<String> signInAndAllow(String authorizeQuery, String username, String password) {
        HttpResponse<String> response = get("/authorize?" + authorizeQuery);
        if (response.statusCode() == 200 && response.body().contains("name=\"password\"")) {
            response = submit(response, Map.of("username", username, "password", password));
        }
        if (response.statusCode() == 200 && response.body().contains("name=\"decision\"")) {
            response = submit(response, Map.of("decision", "allow"));
        }
        return response;
    }

    /** Sets a cookie for the server's host as if the server (or someone able to write its cookies) had. */
    public void setCookie(String name, String value) {
        java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(base, cookie);
    }

    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    public static Map<String, String> queryOf(String location) {
        URI uri = URI.create(location);
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return query;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private HttpResponse<String> send(HttpRequest request) {
        if (!headers.isEmpty()) {
            HttpRequest.Builder withHeaders = HttpRequest.newBuilder(request, (name, value) -> true);
            headers.forEach(withHeaders::header);
            request = withHeaders.build();
        }
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
