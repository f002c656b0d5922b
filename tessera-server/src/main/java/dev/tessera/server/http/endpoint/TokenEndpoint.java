package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.clientauth.PresentedCredentials;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.application.token.TokenService;
import dev.tessera.server.http.support.ClientCredentialsReader;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Json;
import dev.tessera.server.http.support.NoStore;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/** POST /token: reads the form and the credentials, lets {@link TokenService} decide, writes the JSON. */
public final class TokenEndpoint {
    private final TokenService tokens;

    public TokenEndpoint(TokenService tokens) {
        this.tokens = tokens;
    }

    public void handle(Context ctx) {
        Map<String, List<String>> form = Forms.body(ctx);
        PresentedCredentials credentials = ClientCredentialsReader.read(ctx.header("Authorization"), form);
        TokenResponse response = tokens.handle(form, credentials, ctx.header("DPoP") != null);
        NoStore.apply(ctx);
        Json.write(ctx, 200, response.members());
    }
}
