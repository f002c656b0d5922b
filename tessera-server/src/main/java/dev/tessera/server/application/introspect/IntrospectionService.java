package dev.tessera.server.application.introspect;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.RefreshTokenStore.StoredRefreshToken;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.application.token.AccessTokenValidator;
import dev.tessera.server.application.token.PresentedTokens;
import dev.tessera.server.application.token.AccessTokenValidator.LiveAccessToken;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.SubjectType;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7662. Answers for JWT and opaque access tokens and for refresh tokens. {@code token_type_hint}
 * only decides which kind is tried first (§2.1: a hint, not a constraint). Anything not live, not ours,
 * or not visible to the caller is {@code {"active": false}}, with no reason given (§2.2).
 */
public final class IntrospectionService {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final AccessTokenValidator accessTokens;
    private final SubjectResolver subjects;
    private final RefreshTokenStore refreshTokens;
    private final ClientStore clients;
    private final UserStore users;
    private final ServerSettings settings;
    private final Clock clock;

    public IntrospectionService(AccessTokenValidator accessTokens, SubjectResolver subjects,
                                RefreshTokenStore refreshTokens, ClientStore clients,
                                UserStore users, ServerSettings settings, Clock clock) {
        this.accessTokens = accessTokens;
        this.subjects = subjects;
        this.refreshTokens = refreshTokens;
        this.clients = clients;
        this.users = users;
        this.settings = settings;
        this.clock = clock;
    }

    public Map<String, Object> introspect(String token, String hint, AuthenticatedClient caller) {
        if (token == null || token.isEmpty() || token.length() > 16_384) {
            return INACTIVE;
        }
        boolean refreshFirst = PresentedTokens.tryRefreshFirst(token, hint);
        Optional<Map<String, Object>> answer = refreshFirst
                ? refresh(token, caller).or(() -> access(token, caller))
                : access(token, caller).or(() -> refresh(token, caller));
        return answer.orElse(INACTIVE);
    }

    private Optional<Map<String, Object>> access(String token, AuthenticatedClient caller) {
        Optional<LiveAccessToken> live = accessTokens.validate(token);
        if (live.isEmpty()) {
            return Optional.empty();
        }
        JWTClaimsSet claims = live.get().claims();
        String clientId = live.get().clientId();
        if (!mayIntrospect(caller, clientId, claims.getAudience()) || !clientActive(clientId)) {
            return Optional.of(INACTIVE);
        }
        Optional<User> user = users.findById(accessTokens.localSubject(live.get()));
        if (user.isPresent() && !user.get().enabled()) {
            return Optional.of(INACTIVE);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("active", true);
        putIfPresent(response, "scope", live.get().stringClaim("scope"));
        response.put("client_id", clientId);
        if (!pairwise(clientId)) {
            // A pairwise client's resource servers must not learn who the user is (OIDC Core §8): sub only.
            user.ifPresent(u -> response.put("username", u.username()));
        }
        response.put("token_type", "Bearer");
        putIfPresent(response, "exp", seconds(claims.getExpirationTime()));
        putIfPresent(response, "iat", seconds(claims.getIssueTime()));
        putIfPresent(response, "nbf", seconds(claims.getNotBeforeTime()));
        response.put("sub", claims.getSubject());
        response.put("aud", claims.getAudience().size() == 1 ? claims.getAudience().get(0) : claims.getAudience());
        response.put("iss", claims.getIssuer());
        response.put("jti", claims.getJWTID());
        return Optional.of(response);
    }

    private Optional<Map<String, Object>> refresh(String token, AuthenticatedClient caller) {
        Optional<StoredRefreshToken> stored = PresentedTokens.findRefresh(refreshTokens, token);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        RefreshToken refresh = stored.get().token();
        if (!stored.get().isActive(clock.instant()) || !mayIntrospect(caller, refresh.clientId(), List.of())
                || !clientActive(refresh.clientId())) {
            return Optional.of(INACTIVE);
        }
        Optional<User> user = users.findById(refresh.userId()).filter(User::enabled);
        if (user.isEmpty()) {
            return Optional.of(INACTIVE);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("active", true);
        response.put("scope", refresh.scopes().asString());
        response.put("client_id", refresh.clientId());
        Client client = clients.find(refresh.clientId()).orElseThrow();
        if (client.subjectType() != SubjectType.PAIRWISE) {
            response.put("username", user.get().username());
        }
        response.put("token_type", "refresh_token"); // not RFC 6749 §7.1's "Bearer": it is not an access token
        response.put("exp", refresh.expiresAt().getEpochSecond());
        response.put("iat", refresh.issuedAt().getEpochSecond());
        response.put("nbf", refresh.issuedAt().getEpochSecond());
        response.put("sub", subjects.subjectFor(client, refresh.userId()));
        // No aud: a refresh token is for this server alone, and naming the client there let a resource server
        // whose audience is that client id accept the refresh token as an access token.
        response.put("iss", settings.issuer());
        response.put("jti", refresh.hash().value());
        return Optional.of(response);
    }

    // A client sees its own tokens, tokens meant for it (aud), or everything when trusted to (introspect: true).
    private static boolean mayIntrospect(AuthenticatedClient caller, String tokenClientId, List<String> audience) {
        return caller.client().introspect() || caller.id().equals(tokenClientId)
                || (audience != null && audience.contains(caller.id()));
    }

    private boolean pairwise(String clientId) {
        return clients.find(clientId).map(c -> c.subjectType() == SubjectType.PAIRWISE).orElse(true);
    }

    private boolean clientActive(String clientId) {
        return clientId != null && clients.find(clientId).filter(Client::enabled).isPresent();
    }

    private static Long seconds(Date date) {
        return date == null ? null : date.toInstant().getEpochSecond();
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
