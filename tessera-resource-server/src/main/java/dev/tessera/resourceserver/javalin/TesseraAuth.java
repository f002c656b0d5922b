package dev.tessera.resourceserver.javalin;

import dev.tessera.resourceserver.BearerTokenReader;
import dev.tessera.resourceserver.TokenValidationException;
import dev.tessera.resourceserver.TokenValidator;
import dev.tessera.resourceserver.VerifiedToken;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Javalin before-handler that admits only requests with a valid bearer token and stores the
 * {@link VerifiedToken} in the context attribute {@link #VERIFIED_TOKEN}; {@link #requireScope}
 * adds per-route scope checks. Register it ahead of the scope checks:
 * <pre>{@code
 * Javalin.create(c -> {
 *     c.routes.before("/api/*", TesseraAuth.using(validator).withRealm("orders"));
 *     c.routes.before("/api/orders", TesseraAuth.requireScope("orders:read"));
 *     c.routes.get("/api/orders", ctx -> ctx.result(TesseraAuth.token(ctx).subject()));
 * });
 * }</pre>
 */
public final class TesseraAuth implements Handler {
    /** Context attribute holding the {@link VerifiedToken} of an admitted request. */
    public static final String VERIFIED_TOKEN = "dev.tessera.resourceserver.VerifiedToken";
    private static final String REALM = "dev.tessera.resourceserver.realm";

    private final TokenValidator validator;
    private final String realm;
    private final boolean formBodyTokens;

    private TesseraAuth(TokenValidator validator, String realm, boolean formBodyTokens) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.realm = realm;
        this.formBodyTokens = formBodyTokens;
    }

    public static TesseraAuth using(TokenValidator validator) {
        return new TesseraAuth(validator, null, false);
    }

    public TesseraAuth withRealm(String realm) {
        TokenValidationException.missingToken().wwwAuthenticate(Objects.requireNonNull(realm, "realm")); // validates the characters now
        return new TesseraAuth(validator, realm, formBodyTokens);
    }

    /** Also accepts {@code access_token} in a form-encoded body (RFC 6750 §2.2). */
    public TesseraAuth withFormBodyTokens() {
        return new TesseraAuth(validator, realm, true);
    }

    @Override
    public void handle(Context ctx) {
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            return; // CORS preflight carries no credentials by design
        }
        ctx.attribute(REALM, realm);
        try {
            String bearer = BearerTokenReader.read(authorizationHeaders(ctx), formBodyTokens(ctx));
            ctx.attribute(VERIFIED_TOKEN, validator.validate(bearer));
        } catch (TokenValidationException refused) {
            respond(refused, ctx);
        }
    }

    /**
     * A handler refusing requests whose token lacks any of these scopes with 403 insufficient_scope.
     * Use it as a before-handler registered after {@link TesseraAuth}; without a token it answers 401.
     */
    public static Handler requireScope(String... scopes) {
        Set<String> required = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(scopes)));
        return ctx -> {
            if (!(ctx.attribute(VERIFIED_TOKEN) instanceof VerifiedToken token)) {
                respond(TokenValidationException.missingToken(), ctx); // fail closed when TesseraAuth did not run
                return;
            }
            if (!token.hasAllScopes(required)) {
                respond(TokenValidationException.insufficientScope(required), ctx);
            }
        };
    }

    /** The token of an admitted request; throws if {@link TesseraAuth} did not run for this route. */
    public static VerifiedToken token(Context ctx) {
        if (ctx.attribute(VERIFIED_TOKEN) instanceof VerifiedToken token) {
            return token;
        }
        throw new IllegalStateException("TesseraAuth did not admit this request");
    }

    /**
     * Writes the refusal and skips the remaining handlers. Also usable as an exception handler:
     * {@code c.routes.exception(TokenValidationException.class, TesseraAuth::respond)}.
     */
    public static void respond(TokenValidationException refused, Context ctx) {
        String realm = ctx.attribute(REALM);
        ctx.status(refused.httpStatus())
                .header("WWW-Authenticate", refused.wwwAuthenticate(realm))
                .header("Cache-Control", "no-store")
                .contentType("application/json")
                .result(refused.toJson());
        ctx.skipRemainingHandlers();
    }

    private static List<String> authorizationHeaders(Context ctx) {
        var headers = ctx.req().getHeaders("Authorization");
        return headers == null ? List.of() : Collections.list(headers);
    }

    private List<String> formBodyTokens(Context ctx) {
        String contentType = ctx.contentType();
        if (!formBodyTokens || ctx.method() == HandlerType.GET || contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return List.of();
        }
        return ctx.formParams("access_token"); // Javalin reads these from the body only, never the query
    }
}
