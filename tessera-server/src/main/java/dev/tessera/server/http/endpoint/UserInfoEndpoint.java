package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.userinfo.UserInfoAnswer;
import dev.tessera.server.application.userinfo.UserInfoService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.BearerTokenReader;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Json;
import dev.tessera.server.http.support.NoStore;
import dev.tessera.server.http.support.OAuthErrorResponses;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/**
 * GET|POST /userinfo (OIDC Core §5.3) with RFC 6750 bearer tokens and challenges. The answer is JSON, or
 * {@code application/jwt} for clients that registered a signed one (§5.3.2); errors are JSON either way.
 */
public final class UserInfoEndpoint {
    private final UserInfoService userInfo;

    public UserInfoEndpoint(UserInfoService userInfo) {
        this.userInfo = userInfo;
    }

    public void handle(Context ctx) {
        try {
            Map<String, List<String>> form = isFormPost(ctx) ? Forms.body(ctx) : Map.of();
            String token = BearerTokenReader.read(ctx.header("Authorization"), form);
            if (token == null) {
                OAuthErrorResponses.writeBearerMissing(ctx);
                return;
            }
            UserInfoAnswer answer = userInfo.userInfo(token);
            NoStore.apply(ctx);
            if (answer instanceof UserInfoAnswer.Jwt jwt) {
                ctx.status(200);
                ctx.contentType("application/jwt");
                ctx.result(jwt.compact());
            } else {
                Json.write(ctx, 200, ((UserInfoAnswer.Claims) answer).claims());
            }
        } catch (OAuthException e) {
            OAuthErrorResponses.writeBearer(ctx, e);
        }
    }

    private static boolean isFormPost(Context ctx) {
        String contentType = ctx.contentType();
        return "POST".equals(ctx.method().name()) && contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }
}
