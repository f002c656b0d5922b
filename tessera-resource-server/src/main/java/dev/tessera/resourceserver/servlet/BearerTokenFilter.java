package dev.tessera.resourceserver.servlet;

import dev.tessera.resourceserver.BearerTokenReader;
import dev.tessera.resourceserver.TokenValidationException;
import dev.tessera.resourceserver.TokenValidator;
import dev.tessera.resourceserver.VerifiedToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Lets a request through only with a valid bearer token carrying the required scopes, and puts the
 * {@link VerifiedToken} in the request attribute {@link #VERIFIED_TOKEN}. Refusals get the RFC 6750
 * status, {@code WWW-Authenticate} challenge and a small JSON body. Immutable; the {@code with...}
 * methods return a new filter.
 */
public final class BearerTokenFilter implements Filter {
    /** Request attribute holding the {@link VerifiedToken} of an admitted request. */
    public static final String VERIFIED_TOKEN = "dev.tessera.resourceserver.VerifiedToken";

    private final TokenValidator validator;
    private final String realm;
    private final Set<String> requiredScopes;
    private final boolean formBodyTokens;

    public BearerTokenFilter(TokenValidator validator) {
        this(validator, null, Set.of(), false);
    }

    private BearerTokenFilter(TokenValidator validator, String realm, Set<String> requiredScopes, boolean formBodyTokens) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.realm = realm;
        this.requiredScopes = Collections.unmodifiableSet(new LinkedHashSet<>(requiredScopes));
        this.formBodyTokens = formBodyTokens;
    }

    public BearerTokenFilter withRealm(String realm) {
        // fail at startup rather than on the first refusal
        TokenValidationException.missingToken().wwwAuthenticate(Objects.requireNonNull(realm, "realm"));
        return new BearerTokenFilter(validator, realm, requiredScopes, formBodyTokens);
    }

    /** Every one of these scopes must be granted, else 403 insufficient_scope. */
    public BearerTokenFilter requiringScopes(String... scopes) {
        return new BearerTokenFilter(validator, realm, new LinkedHashSet<>(Arrays.asList(scopes)), formBodyTokens);
    }

    /** Also accepts {@code access_token} in a form-encoded POST body (RFC 6750 §2.2). */
    public BearerTokenFilter withFormBodyTokens() {
        return new BearerTokenFilter(validator, realm, requiredScopes, true);
    }

    public static VerifiedToken token(HttpServletRequest request) {
        Object token = request.getAttribute(VERIFIED_TOKEN);
        if (token instanceof VerifiedToken verified) {
            return verified;
        }
        throw new IllegalStateException("BearerTokenFilter did not admit this request");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest httpRequest) || !(response instanceof HttpServletResponse httpResponse)) {
            throw new ServletException("BearerTokenFilter handles HTTP requests only");
        }
        VerifiedToken token;
        try {
            String bearer = BearerTokenReader.read(authorizationHeaders(httpRequest), formBodyTokens(httpRequest));
            token = validator.validate(bearer, requiredScopes);
        } catch (TokenValidationException refused) {
            refuse(httpResponse, refused);
            return;
        }
        httpRequest.setAttribute(VERIFIED_TOKEN, token);
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, TokenValidationException refused) throws IOException {
        response.resetBuffer();
        response.setStatus(refused.httpStatus());
        response.setHeader("WWW-Authenticate", refused.wwwAuthenticate(realm));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(refused.toJson().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> authorizationHeaders(HttpServletRequest request) {
        var headers = request.getHeaders("Authorization");
        return headers == null ? List.of() : Collections.list(headers);
    }

    private List<String> formBodyTokens(HttpServletRequest request) throws TokenValidationException {
        if (!formBodyTokens || !isFormPost(request)) {
            return List.of();
        }
        String query = request.getQueryString();
        if (query != null && (query.startsWith("access_token=") || query.contains("&access_token="))) {
            // getParameterValues merges query and body; a token in the URI must not slip in (RFC 6750 §2.3)
            throw TokenValidationException.invalidRequest("access tokens are not accepted in the URI");
        }
        String[] values = request.getParameterValues("access_token");
        return values == null ? List.of() : List.of(values);
    }

    /** RFC 6750 §2.2: only a single-part form-encoded body, and never with GET. */
    private static boolean isFormPost(HttpServletRequest request) {
        String contentType = request.getContentType();
        return !"GET".equals(request.getMethod()) && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }
}
