package dev.tessera.examples.resourceapi;

import dev.tessera.resourceserver.TokenValidator;
import dev.tessera.resourceserver.VerifiedToken;
import dev.tessera.resourceserver.javalin.TesseraAuth;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protected API: {@code GET /protected} answers with the caller's {@code sub}, {@code client_id} and
 * scopes, after {@link TesseraAuth} admitted the bearer token and found every required scope in it.
 */
public final class ResourceApi implements AutoCloseable {
    public static final String PROTECTED_PATH = "/protected";
    public static final String REALM = "resource-api";

    private final Javalin app;
    private final TokenValidator validator;

    private ResourceApi(Javalin app, TokenValidator validator) {
        this.app = app;
        this.validator = validator;
    }

    public static ResourceApi start(ResourceApiSettings settings) {
        TokenValidator validator = settings.newValidator();
        Javalin app = Javalin.create(config -> {
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            // 401/400 without a valid token, then 403 insufficient_scope without every required scope (RFC 6750 §3.1)
            config.routes.before(PROTECTED_PATH, TesseraAuth.using(validator).withRealm(REALM));
            config.routes.before(PROTECTED_PATH, TesseraAuth.requireScope(settings.requiredScopes().toArray(String[]::new)));
            config.routes.get(PROTECTED_PATH, ResourceApi::describeCaller);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            validator.close();
            throw e;
        }
        return new ResourceApi(app, validator);
    }

    private static void describeCaller(Context ctx) {
        VerifiedToken token = TesseraAuth.token(ctx);
        Map<String, Object> caller = new LinkedHashMap<>();
        caller.put("sub", token.subject());
        caller.put("client_id", token.clientId());
        caller.put("scopes", token.scopes().stream().sorted().toList());
        ctx.header("Cache-Control", "no-store");
        ctx.json(caller);
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        validator.close();
    }
}
