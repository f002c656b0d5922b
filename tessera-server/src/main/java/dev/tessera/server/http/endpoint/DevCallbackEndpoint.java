package dev.tessera.server.http.endpoint;

import dev.tessera.server.http.support.FormBody;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/**
 * Only under {@code serve --dev}: the demo client's redirect URI. Shows the code (or error) that arrived
 * and the exact curl command that redeems it, so the five-minute walkthrough needs no client app.
 */
public final class DevCallbackEndpoint {
    private final String tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final String codeVerifier;

    public DevCallbackEndpoint(String tokenEndpoint, String clientId, String clientSecret, String redirectUri,
                               String codeVerifier) {
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
        this.codeVerifier = codeVerifier;
    }

    public void handle(Context ctx) {
        Map<String, List<String>> query = FormBody.parse(ctx.queryString());
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/plain;charset=UTF-8");
        String error = first(query, "error");
        if (error != null) {
            ctx.result("The authorization server answered with an error (serve --dev callback):\n\n  error: " + error
                    + "\n  error_description: " + first(query, "error_description") + "\n");
            return;
        }
        String code = first(query, "code");
        if (code == null) {
            ctx.status(400).result("No authorization code arrived. Start from the authorize URL that serve --dev printed.\n");
            return;
        }
        ctx.result("Tessera development callback: the demo client received an authorization code.\n\n"
                + "  code:  " + code + "\n  state: " + first(query, "state") + "\n  iss:   " + first(query, "iss")
                + "\n\nRedeem it within 60 seconds (codes are single use):\n\n"
                + "curl -s -u '" + clientId + ":" + clientSecret + "' " + tokenEndpoint + " \\\n"
                + "  -d grant_type=authorization_code \\\n"
                + "  -d code=" + code + " \\\n"
                + "  --data-urlencode redirect_uri=" + redirectUri + " \\\n"
                + "  -d code_verifier=" + codeVerifier + "\n");
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
