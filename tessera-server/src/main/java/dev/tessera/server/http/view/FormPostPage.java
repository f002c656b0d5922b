package dev.tessera.server.http.view;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * OAuth 2.0 Form Post Response Mode: a form that POSTs the authorization response parameters
 * ({@code code}, {@code state}, {@code iss} or {@code error}...) to the client's redirect URI.
 * CSP forbids inline script, so {@code /static/form-post.js} submits it; the visible Continue
 * button covers browsers without JavaScript. {@code clientName} may be null.
 */
public record FormPostPage(String productName, String clientName, String redirectUri, Map<String, String> parameters) {

    public FormPostPage {
        Objects.requireNonNull(productName, "productName");
        redirectUri = PageLinks.requireWebUrl(redirectUri, "redirectUri");
        // keep the caller's order; parameter order is irrelevant to the client but stable output is easier to test
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public String continueLabel() {
        return clientName == null || clientName.isBlank() ? "the app" : clientName;
    }
}
