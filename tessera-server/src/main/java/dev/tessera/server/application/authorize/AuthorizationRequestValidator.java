package dev.tessera.server.application.authorize;

import dev.tessera.server.application.issue.ClaimsRequestParser;
import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.domain.authz.PkceChallenge;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an authorization request in the order RFC 6749 §4.1.2.1 demands: until client_id and
 * redirect_uri are trusted, every problem is shown to the user and never redirected; after that, errors
 * go back to the client with {@code state} and {@code iss}.
 */
public final class AuthorizationRequestValidator {
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");
    private static final Set<String> REPEATABLE = Set.of("resource"); // RFC 8707 §2
    private static final int MAX_VALUE_LENGTH = 4096;

    private final ClientStore clients;
    private final String issuer;

    public AuthorizationRequestValidator(ClientStore clients, String issuer) {
        this.clients = clients;
        this.issuer = issuer;
    }

    public sealed interface Validation {
        record Valid(AuthorizationRequest request) implements Validation { }

        record Invalid(AuthorizeOutcome outcome) implements Validation { }
    }

    public Validation validate(Map<String, List<String>> parameters) {
        Optional<AuthorizeOutcome.ErrorPage> untrusted = untrustedRequestProblem(parameters);
        if (untrusted.isPresent()) {
            return new Validation.Invalid(untrusted.get());
        }
        Client client = clients.find(first(parameters, "client_id")).orElseThrow();
        String sentRedirect = first(parameters, "redirect_uri");
        String redirectUri = sentRedirect != null ? sentRedirect : client.redirectUris().defaultUri().orElseThrow();
        String state = first(parameters, "state");
        String requestedMode = first(parameters, "response_mode");
        ResponseMode mode = ResponseMode.fromValue(requestedMode).orElse(ResponseMode.QUERY);
        try {
            if (requestedMode != null && ResponseMode.fromValue(requestedMode).isEmpty()) {
                throw OAuthException.invalidRequest("response_mode must be query or form_post");
            }
            return new Validation.Valid(check(parameters, client, redirectUri, sentRedirect != null, mode, state));
        } catch (OAuthException e) {
            return new Validation.Invalid(new AuthorizeOutcome.Respond(errorResponse(redirectUri, mode, state, e)));
        }
    }

    /** An error response for a trusted redirect URI (RFC 6749 §4.1.2.1) with iss (RFC 9207). */
    public AuthorizationResponse errorResponse(String redirectUri, ResponseMode mode, String state, OAuthException e) {
        Map<String, String> response = new LinkedHashMap<>();
        response.put("error", e.error().code());
        response.put("error_description", e.description());
        if (state != null) {
            response.put("state", state);
        }
        response.put("iss", issuer);
        return new AuthorizationResponse(redirectUri, mode, response);
    }

    private Optional<AuthorizeOutcome.ErrorPage> untrustedRequestProblem(Map<String, List<String>> parameters) {
        List<String> clientIds = parameters.getOrDefault("client_id", List.of());
        if (clientIds.isEmpty() || clientIds.get(0).isEmpty()) {
            return page("The sign-in link is incomplete",
                    "The application that sent you here did not identify itself (client_id is missing).");
        }
        if (clientIds.size() > 1) {
            return page("The sign-in link is invalid", "The application identified itself more than once.");
        }
        Optional<Client> client = clients.find(clientIds.get(0)).filter(Client::enabled);
        if (client.isEmpty()) {
            return page("Unknown application",
                    "The application that sent you here is not registered with this sign-in service.");
        }
        List<String> redirects = parameters.getOrDefault("redirect_uri", List.of());
        if (redirects.size() > 1) {
            return page("The sign-in link is invalid", "The return address was given more than once.");
        }
        if (redirects.isEmpty() || redirects.get(0).isEmpty()) {
            if (client.get().redirectUris().defaultUri().isEmpty()) {
                return page("The sign-in link is incomplete",
                        "The application did not say where to return you after signing in (redirect_uri is missing).");
            }
        } else if (!client.get().redirectUris().matches(redirects.get(0))) {
            // RFC 6749 §3.1.2.4: never redirect to an unregistered URI.
            return page("The return address is not allowed",
                    "The application asked to send you back to an address it has not registered, so the request was stopped.");
        }
        if (!client.get().allowsGrant(GrantTypes.AUTHORIZATION_CODE)) {
            return page("This application cannot sign you in here",
                    "The application is not registered for browser sign-in.");
        }
        return Optional.empty();
    }

    private AuthorizationRequest check(Map<String, List<String>> parameters, Client client, String redirectUri,
                                       boolean redirectUriSent, ResponseMode mode, String state) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue().size() > 1 && !REPEATABLE.contains(parameter.getKey())) {
                throw OAuthException.repeatedParameter(parameter.getKey());
            }
            for (String value : parameter.getValue()) {
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw OAuthException.invalidRequest("the " + OAuthException.safeParameterName(parameter.getKey())
                            + " parameter is too long");
                }
            }
        }
        // OIDC Core §6: request objects are not supported yet, and say so precisely.
        if (first(parameters, "request") != null) {
            throw new OAuthException(OAuthError.REQUEST_NOT_SUPPORTED, "the request parameter is not supported");
        }
        if (first(parameters, "request_uri") != null) {
            throw new OAuthException(OAuthError.REQUEST_URI_NOT_SUPPORTED, "the request_uri parameter is not supported");
        }
        String responseType = first(parameters, "response_type");
        if (responseType == null) {
            throw OAuthException.invalidRequest("the response_type parameter is required; use response_type=code");
        }
        if (!"code".equals(responseType)) {
            throw new OAuthException(OAuthError.UNSUPPORTED_RESPONSE_TYPE,
                    "only response_type=code is supported (authorization code flow with PKCE)");
        }
        Scopes scopes = Scopes.parse(first(parameters, "scope"));
        if (scopes.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "the scope parameter is required, for example scope=openid");
        }
        if (!client.scopes().containsAll(scopes)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE,
                    "scope not allowed for this client: " + scopes.without(client.scopes()).asString());
        }
        PkceChallenge pkce = pkce(parameters, client);
        Set<String> prompts = prompts(first(parameters, "prompt"));
        Long maxAge = maxAge(first(parameters, "max_age"));
        ClaimsRequest claims = ClaimsRequestParser.parse(first(parameters, "claims")); // Core §5.5
        List<String> resources = ResourceIndicators.narrow(client,
                parameters.getOrDefault("resource", List.of()).stream().filter(r -> !r.isEmpty()).toList(), null);
        return new AuthorizationRequest(client, redirectUri, redirectUriSent, mode, state, first(parameters, "nonce"),
                scopes, pkce, prompts, maxAge, first(parameters, "login_hint"), first(parameters, "id_token_hint"),
                claims, resources, parameters);
    }

    // RFC 7636 §4.3; only S256, since "plain" protects nothing once the request leaks.
    private static PkceChallenge pkce(Map<String, List<String>> parameters, Client client) {
        String challenge = first(parameters, "code_challenge");
        String method = first(parameters, "code_challenge_method");
        if (challenge == null) {
            if (method != null) {
                throw OAuthException.invalidRequest("code_challenge_method was sent without a code_challenge");
            }
            if (client.pkceRequired()) {
                throw OAuthException.invalidRequest("PKCE is required: send code_challenge and code_challenge_method=S256");
            }
            return null;
        }
        if (!PkceChallenge.S256.equals(method)) {
            throw OAuthException.invalidRequest("code_challenge_method must be S256; plain is not supported");
        }
        return PkceChallenge.s256(challenge);
    }

    private static Set<String> prompts(String prompt) {
        if (prompt == null) {
            return Set.of();
        }
        Set<String> values = new java.util.LinkedHashSet<>();
        for (String value : prompt.split(" ")) {
            if (value.isEmpty()) {
                continue;
            }
            if (!PROMPTS.contains(value)) {
                throw OAuthException.invalidRequest("unsupported prompt value; use none, login, consent or select_account");
            }
            values.add(value);
        }
        // OIDC Core §3.1.2.1: none must not be combined with other values.
        if (values.contains("none") && values.size() > 1) {
            throw OAuthException.invalidRequest("prompt=none cannot be combined with other prompt values");
        }
        return values;
    }

    private static Long maxAge(String value) {
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw OAuthException.invalidRequest("max_age must be a non-negative number of seconds");
        }
    }

    private static Optional<AuthorizeOutcome.ErrorPage> page(String title, String message) {
        return Optional.of(new AuthorizeOutcome.ErrorPage(400, title, message));
    }

    static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }
}
