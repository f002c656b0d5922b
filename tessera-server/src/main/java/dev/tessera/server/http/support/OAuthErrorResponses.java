package dev.tessera.server.http.support;

import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 6749 §5.2 / RFC 6750 §3 error responses: JSON, never cached, with WWW-Authenticate where the RFCs ask. */
public final class OAuthErrorResponses {
    private OAuthErrorResponses() {
    }

    public static void write(Context ctx, OAuthException e) {
        NoStore.apply(ctx);
        if (e.error() == OAuthError.INVALID_CLIENT) {
            // RFC 6749 §5.2: 401 with the scheme the client should use.
            ctx.header("WWW-Authenticate", "Basic realm=\"tessera\", charset=\"UTF-8\"");
        }
        Json.write(ctx, e.error().httpStatus(), body(e));
    }

    /** RFC 6750 §3: protected resources answer with a Bearer challenge. */
    public static void writeBearer(Context ctx, OAuthException e) {
        NoStore.apply(ctx);
        int status = switch (e.error()) {
            case INVALID_TOKEN -> 401;
            case INSUFFICIENT_SCOPE -> 403;
            default -> 400;
        };
        ctx.header("WWW-Authenticate", "Bearer realm=\"tessera\", error=\"" + e.error().code()
                + "\", error_description=\"" + e.description() + "\"");
        Json.write(ctx, status, body(e));
    }

    /** RFC 6750 §3.1: a request without a token gets the challenge without an error code. */
    public static void writeBearerMissing(Context ctx) {
        NoStore.apply(ctx);
        ctx.header("WWW-Authenticate", "Bearer realm=\"tessera\"");
        Json.write(ctx, 401, Map.of("error", "invalid_token", "error_description", "an access token is required"));
    }

    public static void writeServerError(Context ctx, String requestId) {
        NoStore.apply(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "server_error");
        body.put("error_description", "the server could not complete the request; request id " + requestId);
        Json.write(ctx, 500, body);
    }

    private static Map<String, Object> body(OAuthException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error().code());
        body.put("error_description", e.description());
        return body;
    }
}
