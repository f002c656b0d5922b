package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.clientauth.ClientAuthenticator;
import dev.tessera.server.application.revoke.RevocationService;
import dev.tessera.server.http.support.ClientCredentialsReader;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.NoStore;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/** POST /revoke (RFC 7009): 200 with an empty body whether or not the token was known (§2.2). */
public final class RevocationEndpoint {
    private final RevocationService revocation;
    private final ClientAuthenticator authenticator;

    public RevocationEndpoint(RevocationService revocation, ClientAuthenticator authenticator) {
        this.revocation = revocation;
        this.authenticator = authenticator;
    }

    public void handle(Context ctx) {
        Map<String, List<String>> form = Forms.rejectingRepeats(Forms.body(ctx));
        AuthenticatedClient caller = authenticator.authenticate(ClientCredentialsReader.read(ctx.header("Authorization"), form));
        revocation.revoke(Forms.single(form, "token"), Forms.single(form, "token_type_hint"), caller);
        NoStore.apply(ctx);
        ctx.status(200);
        ctx.result("");
    }
}
