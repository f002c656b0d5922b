package dev.tessera.server.application.logout;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.authorize.SessionService;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.application.port.SessionStore;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.user.User;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenID Connect RP-Initiated Logout 1.0. Only ever ends the session of the browser that asks, and only
 * without asking when the request carries an id_token_hint for exactly that session (§2: otherwise the OP
 * MUST ask the user); returns to the client only through a registered post_logout_redirect_uri. A hint that
 * is not one of our signed ID tokens (alg none, foreign key, tampered) stops the request; an expired one
 * still names the client (§4), but never ends a session other than the asking browser's.
 */
public final class LogoutService {
    private final OwnTokenVerifier ownTokens;
    private final ClientStore clients;
    private final UserStore users;
    private final SessionService sessions;
    private final SessionStore sessionStore;
    private final AuditLog audit;

    public LogoutService(OwnTokenVerifier ownTokens, ClientStore clients, UserStore users, SessionService sessions,
                         SessionStore sessionStore, AuditLog audit) {
        this.ownTokens = ownTokens;
        this.clients = clients;
        this.users = users;
        this.sessions = sessions;
        this.sessionStore = sessionStore;
        this.audit = audit;
    }

    /** The logout request's parameters; any may be null. */
    public record Request(String idTokenHint, String clientId, String postLogoutRedirectUri, String state) { }

    public sealed interface Outcome {
        /** Signed out; send the browser to {@code location}. */
        record Redirect(String location) implements Outcome { }

        /** Signed out; show the confirmation page ({@code clientName} may be null). */
        record LoggedOut(String clientName) implements Outcome { }

        /**
         * Nothing ended yet: ask the user. Confirming posts {@code clientId}, {@code postLogoutRedirectUri} and
         * {@code state} back (any may be null); {@code clientName} and {@code username} are for the page.
         */
        record Confirm(String clientId, String clientName, String postLogoutRedirectUri, String state, String username)
                implements Outcome { }

        /** Nothing was done: the request could not be trusted. {@code message} is safe to show. */
        record Refused(String message) implements Outcome { }
    }

    /** A logout request as the client sent it. */
    public Outcome logout(Request request, String sessionCookie) {
        Optional<JWTClaimsSet> hint = Optional.empty();
        if (request.idTokenHint() != null) {
            hint = ownTokens.verify(request.idTokenHint(), JOSEObjectType.JWT);
            if (hint.isEmpty()) {
                return new Outcome.Refused("The sign-out request carried an ID token that this service did not issue.");
            }
        }
        Optional<String> hintedClient = hint.map(LogoutService::clientOf);
        if (request.clientId() != null && hintedClient.isPresent() && !hintedClient.get().equals(request.clientId())) {
            return new Outcome.Refused("The sign-out request names two different applications.");
        }
        Optional<Client> client = Optional.ofNullable(request.clientId()).or(() -> hintedClient).flatMap(clients::find);
        Optional<Outcome.Refused> refused = checkRedirect(client, request.postLogoutRedirectUri());
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<LoginSession> current = sessions.find(sessionCookie);
        if (current.isPresent() && !hint.map(claims -> namesSession(claims, current.get())).orElse(false)) {
            // §2: without a hint for this very session, a link anyone could plant must not sign the user out.
            return new Outcome.Confirm(client.map(Client::id).orElse(null), client.map(Client::name).orElse(null),
                    request.postLogoutRedirectUri(), request.state(),
                    users.findById(current.get().userId()).map(User::username).orElse(null));
        }
        return end(current, sessionCookie, client, request);
    }

    /** The user confirmed on our page (the caller has checked its CSRF token). */
    public Outcome confirm(Request confirmed, String sessionCookie) {
        Optional<Client> client = Optional.ofNullable(confirmed.clientId()).flatMap(clients::find);
        Optional<Outcome.Refused> refused = checkRedirect(client, confirmed.postLogoutRedirectUri());
        if (refused.isPresent()) {
            return refused.get();
        }
        return end(sessions.find(sessionCookie), sessionCookie, client, confirmed);
    }

    private Optional<Outcome.Refused> checkRedirect(Optional<Client> client, String postLogoutRedirectUri) {
        if (postLogoutRedirectUri != null
                && (client.isEmpty() || !client.get().postLogoutRedirectUris().contains(postLogoutRedirectUri))) {
            // Never follow an unregistered URI: that would be an open redirector.
            return Optional.of(new Outcome.Refused(
                    "The application asked to send you to an address it has not registered."));
        }
        return Optional.empty();
    }

    private Outcome end(Optional<LoginSession> current, String sessionCookie, Optional<Client> client, Request request) {
        sessions.end(sessionCookie);
        current.ifPresent(session -> sessionStore.deleteBySid(session.sid()));
        audit.record("logout", Map.of("client_id", client.map(Client::id).orElse(""),
                "ended_session", current.isPresent()));
        if (request.postLogoutRedirectUri() == null) {
            return new Outcome.LoggedOut(client.map(Client::name).orElse(null));
        }
        String location = request.postLogoutRedirectUri();
        if (request.state() != null) {
            location += (location.contains("?") ? "&" : "?") + "state="
                    + URLEncoder.encode(request.state(), StandardCharsets.UTF_8);
        }
        return new Outcome.Redirect(location);
    }

    // The hint belongs to this session when it carries its sid (our ID tokens always do when a session issued them).
    private static boolean namesSession(JWTClaimsSet hint, LoginSession session) {
        Object sid = hint.getClaim("sid");
        return sid instanceof String value && value.equals(session.sid());
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
