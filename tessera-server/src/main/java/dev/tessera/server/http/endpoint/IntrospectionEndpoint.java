package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.clientauth.ClientAuthenticator;
import dev.tessera.server.application.introspect.IntrospectionService;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.ClientCredentialsReader;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Json;
import dev.tessera.server.http.support.NoStore;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/** POST /introspect (RFC 7662): only authenticated confidential clients may ask (§2.1). */
public final class IntrospectionEndpoint {
    private final IntrospectionService introspection;
    private final ClientAuthenticator authenticator;

    public IntrospectionEndpoint(IntrospectionService introspection, ClientAuthenticator authenticator) {
        this.introspection = introspection;
        this.authenticator = authenticator;
    }

    public void handle(Context ctx) {
        Map<String, List<String>> form = Forms.rejectingRepeats(Forms.body(ctx));
        AuthenticatedClient caller = authenticator.authenticate(ClientCredentialsReader.read(ctx.header("Authorization"), form));
        if (caller.client().publicClient()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "public clients cannot use token introspection");
        }
        String token = Forms.single(form, "token");
        if (token == null) {
            throw OAuthException.invalidRequest("the token parameter is required");
        }
        NoStore.apply(ctx);
        Json.write(ctx, 200, introspection.introspect(token, Forms.single(form, "token_type_hint"), caller));
    }
}
