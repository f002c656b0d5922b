package dev.tessera.server.http.support;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizationResponse;
import dev.tessera.server.domain.scope.Scopes;
import io.javalin.http.Context;

/** Renders the HTML pages with their security headers. Temporary markup until the templates land. */
public final class Pages {
    private final CsrfTokens csrf;

    public Pages(CsrfTokens csrf) {
        this.csrf = csrf;
    }

    public void login(Context ctx, AuthorizationRequest request, String username, String error, int status) {
        String token = csrf.tokenFor(ctx);
        html(ctx, status, "<form method=post action=/login><input type=hidden name=csrf value=\"" + esc(token) + "\">"
                + "<input type=hidden name=request value=\"" + esc(RequestHandle.encode(request.parameters())) + "\">"
                + (error == null ? "" : "<p role=alert>" + esc(error) + "</p>")
                + "<label for=username>Username</label><input id=username name=username value=\""
                + esc(username == null ? "" : username) + "\">"
                + "<label for=password>Password</label><input id=password name=password type=password>"
                + "<button type=submit>Sign in</button></form>");
    }

    public void consent(Context ctx, AuthorizationRequest request, Scopes scopes) {
        String token = csrf.tokenFor(ctx);
        html(ctx, 200, "<form method=post action=/consent><input type=hidden name=csrf value=\"" + esc(token) + "\">"
                + "<input type=hidden name=request value=\"" + esc(RequestHandle.encode(request.parameters())) + "\">"
                + "<p>" + esc(request.client().name()) + " asks for " + esc(scopes.asString()) + "</p>"
                + "<button name=decision value=allow>Allow</button><button name=decision value=deny>Deny</button></form>");
    }

    public void error(Context ctx, int status, String title, String message) {
        html(ctx, status, "<h1>" + esc(title) + "</h1><p>" + esc(message) + "</p><p>Request id "
                + esc(RequestIds.of(ctx)) + "</p>");
    }

    public void formPost(Context ctx, AuthorizationResponse response) {
        StringBuilder inputs = new StringBuilder();
        response.parameters().forEach((k, v) -> inputs.append("<input type=hidden name=\"").append(esc(k))
                .append("\" value=\"").append(esc(v)).append("\">"));
        html(ctx, 200, "<form method=post action=\"" + esc(response.redirectUri()) + "\">" + inputs
                + "<button type=submit>Continue</button></form>");
    }

    private static void html(Context ctx, int status, String body) {
        SecurityHeaders.applyToPage(ctx);
        ctx.status(status);
        ctx.contentType("text/html;charset=UTF-8");
        ctx.result("<!doctype html><html lang=en><meta charset=utf-8><title>Tessera</title>" + body + "</html>");
    }

    private static String esc(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
