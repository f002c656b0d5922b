package dev.tessera.server.application.logout;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.authorize.SessionService;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.application.port.SessionStore;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.client.Client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenID Connect RP-Initiated Logout 1.0. Ends the browser's SSO session (and the session the hint names),
 * then returns to the client only through a registered post_logout_redirect_uri; an id_token_hint that is
 * not one of our signed ID tokens (alg none, foreign key, tampered) stops the request.
 */
public final class LogoutService {
    private final OwnTokenVerifier ownTokens;
    private final ClientStore clients;
    private final SessionService sessions;
    private final SessionStore sessionStore;
    private final AuditLog audit;

    public LogoutService(OwnTokenVerifier ownTokens, ClientStore clients, SessionService sessions,
                         SessionStore sessionStore, AuditLog audit) {
        this.ownTokens = ownTokens;
        this.clients = clients;
        this.sessions = sessions;
        this.sessionStore = sessionStore;
        this.audit = audit;
    }

    public sealed interface Outcome {
        /** Signed out; send the browser to {@code location}. */
        record Redirect(String location) implements Outcome { }

        /** Signed out; show the confirmation page ({@code clientName} may be null). */
        record LoggedOut(String clientName) implements Outcome { }

        /** Nothing was done: the request could not be trusted. {@code message} is safe to show. */
        record Refused(String message) implements Outcome { }
    }

    public Outcome logout(String idTokenHint, String clientId, String postLogoutRedirectUri, String state,
                          String sessionCookie) {
        Optional<JWTClaimsSet> hint = Optional.empty();
        if (idTokenHint != null) {
            hint = ownTokens.verify(idTokenHint, JOSEObjectType.JWT);
            if (hint.isEmpty()) {
                return new Outcome.Refused("The sign-out request carried an ID token that this service did not issue.");
            }
        }
        Optional<String> hintedClient = hint.map(LogoutService::clientOf);
        if (clientId != null && hintedClient.isPresent() && !hintedClient.get().equals(clientId)) {
            return new Outcome.Refused("The sign-out request names two different applications.");
        }
        Optional<Client> client = Optional.ofNullable(clientId).or(() -> hintedClient).flatMap(clients::find);
        if (postLogoutRedirectUri != null
                && (client.isEmpty() || !client.get().postLogoutRedirectUris().contains(postLogoutRedirectUri))) {
            // Never follow an unregistered URI: that would be an open redirector.
            return new Outcome.Refused("The application asked to send you to an address it has not registered.");
        }
        endSessions(sessionCookie, hint);
        audit.record("logout", Map.of("client_id", client.map(Client::id).orElse("")));
        if (postLogoutRedirectUri == null) {
            return new Outcome.LoggedOut(client.map(Client::name).orElse(null));
        }
        String location = postLogoutRedirectUri;
        if (state != null) {
            location += (location.contains("?") ? "&" : "?") + "state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
        }
        return new Outcome.Redirect(location);
    }

    private void endSessions(String sessionCookie, Optional<JWTClaimsSet> hint) {
        Optional<LoginSession> current = sessions.find(sessionCookie);
        sessions.end(sessionCookie);
        current.ifPresent(session -> sessionStore.deleteBySid(session.sid()));
        hint.map(claims -> (String) claims.getClaim("sid")).ifPresent(sessionStore::deleteBySid);
    }

    // The client an ID token was issued to: azp, or the single audience.
    private static String clientOf(JWTClaimsSet claims) {
        try {
            String azp = claims.getStringClaim("azp");
            if (azp != null) {
                return azp;
            }
        } catch (ParseException ignored) {
            // fall back to aud
        }
        List<String> audience = claims.getAudience();
        return audience.isEmpty() ? null : audience.get(0);
    }
}
