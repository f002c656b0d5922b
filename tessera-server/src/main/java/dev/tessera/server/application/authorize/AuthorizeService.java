package dev.tessera.server.application.authorize;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.authorize.AuthorizationRequestValidator.Validation;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.AuthorizationCodeStore;
import dev.tessera.server.application.port.ConsentStore;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.application.mfa.SecondFactorService;
import dev.tessera.server.domain.authz.AcrRequirement;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.AuthenticationLevels;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization endpoint's decisions (RFC 6749 §4.1, OIDC Core §3.1.2): who is signed in, whether
 * they must sign in again (prompt, max_age, id_token_hint), whether they must consent, and finally the
 * code. The request is validated again at every step, since it travels through the login and consent
 * forms.
 */
public final class AuthorizeService {
    /** How long the sign-in a request asked for (prompt=login, max_age) still counts when its consent arrives. */
    static final Duration FRESH_LOGIN = Duration.ofMinutes(10);

    private final AuthorizationRequestValidator validator;
    private final SessionService sessions;
    private final UserStore users;
    private final ConsentStore consents;
    private final AuthorizationCodeStore codes;
    private final SubjectResolver subjects;
    private final OwnTokenVerifier ownTokens;
    private final ServerSettings settings;
    private final AuthenticationLevels levels;
    private final SecondFactorService secondFactor;
    private final AuditLog audit;
    private final Clock clock;

    public AuthorizeService(AuthorizationRequestValidator validator, SessionService sessions, UserStore users,
                            ConsentStore consents, AuthorizationCodeStore codes, SubjectResolver subjects,
                            OwnTokenVerifier ownTokens, ServerSettings settings, AuthenticationLevels levels,
                            SecondFactorService secondFactor, AuditLog audit, Clock clock) {
        this.validator = validator;
        this.sessions = sessions;
        this.users = users;
        this.consents = consents;
        this.codes = codes;
        this.subjects = subjects;
        this.ownTokens = ownTokens;
        this.settings = settings;
        this.levels = levels;
        this.secondFactor = secondFactor;
        this.audit = audit;
        this.clock = clock;
    }

    public Validation validate(Map<String, List<String>> parameters) {
        return validator.validate(parameters);
    }

    /** A request arriving at /authorize, with the browser's session cookie (or null). */
    public AuthorizeOutcome authorize(Map<String, List<String>> parameters, String sessionCookie) {
        Validation validation = validator.validate(parameters);
        if (validation instanceof Validation.Invalid invalid) {
            return invalid.outcome();
        }
        AuthorizationRequest request = ((Validation.Valid) validation).request();
        return proceed(request, sessions.find(sessionCookie), false, false);
    }

    /** Continues the request right after the user signed in, which satisfies prompt=login and max_age. */
    public AuthorizeOutcome afterLogin(AuthorizationRequest request, LoginSession freshSession) {
        return proceed(request, Optional.of(freshSession), true, false);
    }

    /** The user answered the consent page; {@code allowed} false sends access_denied to the client. */
    public AuthorizeOutcome afterConsent(AuthorizationRequest request, String sessionCookie, boolean allowed) {
        Optional<LoginSession> session = sessions.find(sessionCookie);
        if (session.isEmpty()) {
            return proceed(request, session, false, false);
        }
        if (!allowed) {
            audit.record("consent_denied", Map.of("user_id", session.get().userId(), "client_id", request.client().id()));
            return respondError(request, new OAuthException(OAuthError.ACCESS_DENIED, "the user denied the request"));
        }
        Instant now = clock.instant();
        LinkedHashSet<String> granted = new LinkedHashSet<>(request.scopes().values());
        LinkedHashSet<String> grantedClaims = new LinkedHashSet<>(claimsToConsent(request));
        consents.find(session.get().userId(), request.client().id()).ifPresent(previous -> {
            granted.addAll(previous.scopes().values());
            grantedClaims.addAll(previous.claims());
        });
        consents.save(new Consent(session.get().userId(), request.client().id(), Scopes.of(granted), grantedClaims,
                now));
        audit.record("consent_granted", Map.of("user_id", session.get().userId(), "client_id", request.client().id(),
                "scope", request.scopes().asString()));
        // OIDC Core §3.1.2.1: prompt=login and max_age are met only by the sign-in made for this very request,
        // never by merely holding a recent session (a direct POST to /consent would otherwise skip the sign-in).
        boolean signedInForThisRequest = session.get().startedFor(request.fingerprint())
                && !session.get().authentication().authTime().isBefore(now.minus(FRESH_LOGIN));
        return proceed(request, session, signedInForThisRequest, true);
    }

    private AuthorizeOutcome proceed(AuthorizationRequest request, Optional<LoginSession> session, boolean freshLogin,
                                     boolean consentGiven) {
        Optional<User> user = session.flatMap(s -> users.findById(s.userId())).filter(User::enabled);
        boolean loginNeeded = user.isEmpty() || (!freshLogin && reauthenticationRequired(request, session.get()));
        if (!loginNeeded && request.idTokenHint() != null && !hintNamesUser(request, user.get())) {
            loginNeeded = true;
        }
        // OIDC Core §5.5.1: with "sub": {"value": ...} in the id_token member, answer only for that user.
        if (!loginNeeded && !subjectRequestNamesUser(request, user.get())) {
            if (freshLogin) {
                return respondError(request, new OAuthException(OAuthError.ACCESS_DENIED,
                        "the account that signed in is not the one the claims parameter names in sub"));
            }
            loginNeeded = true;
        }
        if (loginNeeded) {
            if (request.prompt("none")) {
                return respondError(request, new OAuthException(OAuthError.LOGIN_REQUIRED,
                        "the user must sign in, which prompt=none does not allow"));
            }
            return new AuthorizeOutcome.ShowLogin(request, request.loginHint(), null);
        }
        AcrRequirement acr = AcrRequirement.of(request.acrValues(), request.claims().acr(), levels);
        int achieved = levels.rankOf(session.get().authentication());
        if (!acr.metBy(achieved)) {
            Optional<AuthorizeOutcome> stepUp = stepUp(request, user.get(), acr, achieved);
            if (stepUp.isPresent()) {
                return stepUp.get();
            }
        }
        if (!consentGiven && consentRequired(request, user.get())) {
            if (request.prompt("none")) {
                return respondError(request, new OAuthException(OAuthError.CONSENT_REQUIRED,
                        "the user must consent, which prompt=none does not allow"));
            }
            return new AuthorizeOutcome.ShowConsent(request, request.scopes(), user.get().username(),
                    ConsentClaims.of(request, user.get()));
        }
        return new AuthorizeOutcome.Respond(issueCode(request, user.get(), session.get(),
                acr.reported(session.get().authentication(), levels)));
    }

    /**
     * The session is weaker than the request asks. A user with a second factor gives it now (step-up). Without
     * one, an essential acr fails (OIDC Core §5.5.1.1, unmet_authentication_requirements), while acr_values is
     * only a wish (Core §3.1.2.1): the request goes on and the tokens report the level actually reached.
     */
    private Optional<AuthorizeOutcome> stepUp(AuthorizationRequest request, User user, AcrRequirement acr, int achieved) {
        Optional<String> ticket = acr.satisfiable() && achieved < AuthenticationLevels.MULTI_FACTOR
                ? secondFactor.challengeFor(user, request.fingerprint())
                : Optional.empty();
        if (ticket.isPresent()) {
            if (request.prompt("none")) {
                return Optional.of(respondError(request, new OAuthException(OAuthError.INTERACTION_REQUIRED,
                        "the request asks for a second factor, which prompt=none does not allow")));
            }
            audit.record("step_up", Map.of("user_id", user.id(), "client_id", request.client().id()));
            return Optional.of(new AuthorizeOutcome.ShowSecondFactor(request, ticket.get()));
        }
        if (acr.essential()) {
            return Optional.of(respondError(request, new OAuthException(OAuthError.UNMET_AUTHENTICATION_REQUIREMENTS,
                    acr.satisfiable()
                            ? "the essential acr asks for a second factor, and the user has none enrolled"
                            : "the essential acr asks only for levels this server does not issue; see acr_values_supported")));
        }
        return Optional.empty();
    }

    private boolean reauthenticationRequired(AuthorizationRequest request, LoginSession session) {
        if (request.prompt("login") || request.prompt("select_account")) {
            return true;
        }
        // OIDC Core §3.1.2.1: max_age is the allowable seconds since the last active authentication;
        // max_age=0 therefore always asks again, like prompt=login.
        return request.maxAge() != null
                && !session.authentication().authTime().plusSeconds(request.maxAge()).isAfter(clock.instant());
    }

    // OIDC Core §3.1.2.1: with id_token_hint, the signed-in user must be the one the hint names.
    private boolean hintNamesUser(AuthorizationRequest request, User user) {
        Optional<JWTClaimsSet> hint = ownTokens.verify(request.idTokenHint(), JOSEObjectType.JWT);
        if (hint.isEmpty()) {
            return false;
        }
        String subject = hint.get().getSubject();
        return user.id().equals(subject) || subjects.subjectFor(request.client(), user.id()).equals(subject);
    }

    private boolean subjectRequestNamesUser(AuthorizationRequest request, User user) {
        List<String> wanted = request.claims().requiredSubjects();
        return wanted.isEmpty() || wanted.contains(subjects.subjectFor(request.client(), user.id()));
    }

    private boolean consentRequired(AuthorizationRequest request, User user) {
        if (request.client().consent() == ConsentPolicy.SKIP) {
            return false;
        }
        if (request.prompt("consent")) {
            return true;
        }
        // SPEC §3: remembered consent covers scopes and claims; a request for more asks again.
        return consents.find(user.id(), request.client().id())
                .map(consent -> !consent.covers(request.scopes(), claimsToConsent(request)))
                .orElse(true);
    }

    private static Set<String> claimsToConsent(AuthorizationRequest request) {
        return ConsentClaims.keys(request);
    }

    private AuthorizationResponse issueCode(AuthorizationRequest request, User user, LoginSession session,
                                            AuthenticationEvent authentication) {
        Instant now = clock.instant();
        OpaqueToken code = OpaqueToken.generate(OpaqueToken.CODE_PREFIX);
        codes.save(new AuthorizationCode(code.hash(), GrantId.random(), request.client().id(), user.id(),
                request.redirectUriSent() ? request.redirectUri() : null, request.pkce(), request.nonce(),
                request.scopes(), authentication, session.sid(), request.claims().json(), request.resources(),
                now, now.plus(settings.authorizationCodeTtl())));
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("code", code.value());
        if (request.state() != null) {
            parameters.put("state", request.state());
        }
        parameters.put("iss", settings.issuer()); // RFC 9207
        return new AuthorizationResponse(request.redirectUri(), request.responseMode(), parameters);
    }

    private AuthorizeOutcome respondError(AuthorizationRequest request, OAuthException error) {
        return new AuthorizeOutcome.Respond(validator.errorResponse(request.redirectUri(), request.responseMode(),
                request.state(), error));
    }
}
