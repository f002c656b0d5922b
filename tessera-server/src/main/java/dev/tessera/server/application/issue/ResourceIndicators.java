package dev.tessera.server.application.issue;

import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * RFC 8707 resource indicators. A client may target only the resources in its {@code audience} list;
 * at the token endpoint a request may only narrow what the authorization granted.
 */
public final class ResourceIndicators {
    private ResourceIndicators() {
    }

    /**
     * @param requested the {@code resource} values of this request (may be empty)
     * @param granted what an earlier authorization allowed, or null when there is none (client_credentials)
     * @return the resources to use as {@code aud}, empty when none were requested and none granted
     */
    public static List<String> narrow(Client client, List<String> requested, List<String> granted) {
        if (requested.isEmpty()) {
            return granted == null ? List.of() : granted;
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String resource : requested) {
            requireAbsoluteWithoutFragment(resource);
            // RFC 8707 §2: invalid_target for a resource the client may not use.
            if (!client.audience().contains(resource)) {
                throw new OAuthException(OAuthError.INVALID_TARGET, "this client may not request tokens for that resource");
            }
            if (granted != null && !granted.isEmpty() && !granted.contains(resource)) {
                throw new OAuthException(OAuthError.INVALID_TARGET, "that resource was not part of the authorization");
            }
            unique.add(resource);
        }
        return List.copyOf(unique);
    }

    /** RFC 8707 §2: an absolute URI without a fragment, else invalid_target. */
    public static void requireAbsoluteWithoutFragment(String resource) {
        try {
            URI uri = new URI(resource);
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw new URISyntaxException(resource, "not absolute or has a fragment");
            }
        } catch (URISyntaxException e) {
            throw new OAuthException(OAuthError.INVALID_TARGET, "resource must be an absolute URI without a fragment");
        }
    }
}
