package dev.tessera.server.http.view;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Words a person understands for the scopes they are asked to grant. People read "See your email
 * address", not "email"; scopes we don't know get a neutral sentence that still names them, so
 * nothing requested is ever hidden from the consent page.
 */
public final class ScopeDescriptions {
    private static final Map<String, String> KNOWN = Map.of(
            "openid", "Confirm it's you (your account ID)",
            "profile", "See your name and profile details",
            "email", "See your email address",
            "address", "See your postal address",
            "phone", "See your phone number",
            "offline_access", "Stay signed in when you're not using the app");

    private ScopeDescriptions() {
    }

    public static ScopeDescription describe(String scope) {
        String known = KNOWN.get(scope);
        return new ScopeDescription(scope, known != null ? known : "Use the \u201c" + scope + "\u201d permission");
    }

    /** Descriptions in the order the scopes were requested. */
    public static List<ScopeDescription> describeAll(Collection<String> scopes) {
        return scopes.stream().map(ScopeDescriptions::describe).toList();
    }
}
