package dev.tessera.server.http;

import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An authorization request query string for the tests, starting from a valid code + PKCE request and
 * changed one parameter at a time. {@link #repeat} appends a second value, for the duplicate cases.
 */
final class AuthorizeQuery {
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<String> extras = new ArrayList<>();
    private final Pkce pkce;

    private AuthorizeQuery(String clientId, String redirectUri, String state) {
        this.pkce = Pkce.generate();
        parameters.put("response_type", "code");
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("scope", "openid");
        parameters.put("state", state);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
    }

    static AuthorizeQuery web(String state) {
        return new AuthorizeQuery(TesseraTestServer.WEB, TesseraTestServer.WEB_REDIRECT, state);
    }

    static AuthorizeQuery spa(String state) {
        return new AuthorizeQuery(TesseraTestServer.SPA, TesseraTestServer.SPA_REDIRECT, state);
    }

    static AuthorizeQuery client(String clientId, String redirectUri, String state) {
        return new AuthorizeQuery(clientId, redirectUri, state);
    }

    AuthorizeQuery with(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    AuthorizeQuery without(String name) {
        parameters.remove(name);
        return this;
    }

    /** Sends {@code name} a second time, after all other parameters. */
    AuthorizeQuery repeat(String name, String value) {
        extras.add(encode(name) + "=" + encode(value));
        return this;
    }

    Pkce pkce() {
        return pkce;
    }

    String redirectUri() {
        return parameters.get("redirect_uri");
    }

    String state() {
        return parameters.get("state");
    }

    /** The parameters in insertion order, form-urlencoded. */
    String encoded() {
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        pairs.addAll(extras);
        return String.join("&", pairs);
    }

    /** The same parameters in reverse order. */
    String encodedReversed() {
        List<String> pairs = new ArrayList<>(List.of(encoded().split("&")));
        java.util.Collections.reverse(pairs);
        return String.join("&", pairs);
    }

    @Override
    public String toString() {
        return encoded();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
