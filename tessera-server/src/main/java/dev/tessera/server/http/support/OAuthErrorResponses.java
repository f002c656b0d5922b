package dev.tessera.server.http.support;

import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 6749 §5.2 / RFC 6750 §3 error responses: JSON, never cached, with WWW-Authenticate where the RFCs ask.
 * Every OAuth error answer passes here, so this is where an error's private detail is logged, once.
 */
public final class OAuthErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthErrorResponses.class);

    private OAuthErrorResponses() {
    }

    public static void write(Context ctx, OAuthException e) {
        logDetail(ctx, e);
        AnsweredErrors.mark(ctx, e.error().code());
        NoStore.apply(ctx);
        if (e.error() == OAuthError.INVALID_CLIENT) {
            // RFC 6749 §5.2: 401 with the scheme the client should use.
            ctx.header("WWW-Authenticate", "Basic realm=\"tessera\", charset=\"UTF-8\"");
        }
        Json.write(ctx, e.error().httpStatus(), body(e));
    }

    /**
     * RFC 6750 §3: protected resources answer with a Bearer challenge. A failure on the server's side (the
     * client's encryption keys cannot be fetched) keeps its 5xx status and gets no challenge: the token was
     * fine, and a new one would not help.
     */
    public static void writeBearer(Context ctx, OAuthException e) {
        logDetail(ctx, e);
        AnsweredErrors.mark(ctx, e.error().code());
        NoStore.apply(ctx);
        int status = switch (e.error()) {
            case INVALID_TOKEN -> 401;
            case INSUFFICIENT_SCOPE -> 403;
            default -> e.error().httpStatus() >= 500 ? e.error().httpStatus() : 400;
        };
        if (status < 500) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"tessera\", error=\"" + e.error().code()
                    + "\", error_description=\"" + e.description() + "\"");
        }
        Json.write(ctx, status, body(e));
    }

    /** RFC 6750 §3.1: a request without a token gets the challenge without an error code. */
    public static void writeBearerMissing(Context ctx) {
        AnsweredErrors.mark(ctx, "invalid_token");
        NoStore.apply(ctx);
        ctx.header("WWW-Authenticate", "Bearer realm=\"tessera\"");
        Json.write(ctx, 401, Map.of("error", "invalid_token", "error_description", "an access token is required"));
    }

    /**
     * 503 {@code temporarily_unavailable} (RFC 6749 §4.1.2.1 names the code; §5.2 leaves other codes open, and OAuth
     * clients know this one) for an endpoint whose store cannot be reached; the caller sets {@code Retry-After}.
     */
    public static void writeTemporarilyUnavailable(Context ctx) {
        writeTemporarilyUnavailable(ctx, "the service cannot reach its database right now; retry after the time in Retry-After");
    }

    public static void writeTemporarilyUnavailable(Context ctx, String description) {
        AnsweredErrors.mark(ctx, OAuthError.TEMPORARILY_UNAVAILABLE.code());
        NoStore.apply(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", OAuthError.TEMPORARILY_UNAVAILABLE.code());
        body.put("error_description", description);
        Json.write(ctx, OAuthError.TEMPORARILY_UNAVAILABLE.httpStatus(), body);
    }

    public static void writeServerError(Context ctx, String requestId) {
        AnsweredErrors.mark(ctx, "server_error");
        NoStore.apply(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "server_error");
        body.put("error_description", "the server could not complete the request; request id " + requestId);
        Json.write(ctx, 500, body);
    }

    // The detail is what the client is not told (which upstream failed, why); the request id comes with the
    // log context. Server-side trouble is a warning, a client's mistake only information.
    private static void logDetail(Context ctx, OAuthException e) {
        if (e.detail() == null) {
            return;
        }
        if (e.error().httpStatus() >= 500) {
            LOG.warn("{} {} answered {}: {}", ctx.method(), ctx.path(), e.error().code(), e.detail());
        } else {
            LOG.info("{} {} answered {}: {}", ctx.method(), ctx.path(), e.error().code(), e.detail());
        }
    }

    private static Map<String, Object> body(OAuthException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error().code());
        body.put("error_description", e.description());
        return body;
    }
}
