package dev.tessera.server.application.authorize;

import dev.tessera.server.domain.authz.PkceChallenge;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1). {@code parameters} keeps the
 * request as sent, so the login and consent forms can carry it and it is validated again on each step.
 *
 * @param redirectUriSent whether redirect_uri was in the request; if so the token request must repeat it
 * @param pkce null only for a confidential client registered with requirePkce: false that sent none
 * @param maxAge null when absent
 */
public record AuthorizationRequest(Client client, String redirectUri, boolean redirectUriSent, ResponseMode responseMode,
                                   String state, String nonce, Scopes scopes, PkceChallenge pkce, Set<String> prompts,
                                   Long maxAge, String loginHint, String idTokenHint, ClaimsRequest claims,
                                   List<String> resources, Map<String, List<String>> parameters) {
    public AuthorizationRequest {
        prompts = Set.copyOf(prompts);
        resources = List.copyOf(resources);
        parameters = Map.copyOf(parameters);
    }

    public boolean prompt(String value) {
        return prompts.contains(value);
    }

    /** OIDC Core §3.1.2.1 {@code acr_values}: space-separated, in order of preference; empty when absent. */
    public List<String> acrValues() {
        List<String> values = parameters.get("acr_values");
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        return java.util.Arrays.stream(values.get(0).split(" ")).filter(value -> !value.isEmpty()).toList();
    }

    /**
     * SHA-256 over every parameter as sent, in a canonical order: the same request (state, nonce and PKCE
     * challenge included) always has the same fingerprint, and any other request a different one.
     */
    public String fingerprint() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (Map.Entry<String, List<String>> parameter : new TreeMap<>(parameters).entrySet()) {
            update(sha256, parameter.getKey());
            sha256.update((byte) parameter.getValue().size());
            parameter.getValue().forEach(value -> update(sha256, value));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
    }

    // Length-prefixed, so no two different parameter lists hash the same bytes.
    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
