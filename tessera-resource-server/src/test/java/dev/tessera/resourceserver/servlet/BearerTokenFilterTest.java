package dev.tessera.resourceserver.servlet;

import static dev.tessera.resourceserver.testsupport.TokenMint.AUDIENCE;
import static dev.tessera.resourceserver.testsupport.TokenMint.accessToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.tessera.resourceserver.TokenValidator;
import dev.tessera.resourceserver.VerifiedToken;
import dev.tessera.resourceserver.testsupport.FakeIssuer;
import dev.tessera.resourceserver.testsupport.TokenMint;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BearerTokenFilterTest {
    private static RSAKey key;
    private FakeIssuer issuer;
    private TokenValidator validator;

    @BeforeAll
    static void keys() {
        key = TokenMint.rsaKey("k1");
    }

    @BeforeEach
    void start() {
        issuer = new FakeIssuer();
        issuer.publish(key);
        validator = TokenValidator.forJwksUri(issuer.jwksUri()).issuer(issuer.issuer()).audience(AUDIENCE).build();
    }

    @AfterEach
    void stop() {
        validator.close();
        issuer.close();
    }

    /** Just enough of a servlet exchange, built on dynamic proxies. */
    private static final class Exchange {
        final Map<String, Object> attributes = new HashMap<>();
        final Map<String, String> responseHeaders = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = 200;
        String contentType;
        VerifiedToken seenByApplication;
        boolean reachedApplication;
        final HttpServletRequest request;
        final HttpServletResponse response;

        Exchange(String method, List<String> authorization, String contentType, String query, Map<String, String[]> parameters) {
            request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getHeaders" -> "Authorization".equalsIgnoreCase((String) args[0])
                                ? Collections.enumeration(authorization) : Collections.emptyEnumeration();
                        case "getMethod" -> method;
                        case "getContentType" -> contentType;
                        case "getQueryString" -> query;
                        case "getParameterValues" -> parameters.get((String) args[0]);
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }
            };
            response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "setStatus" -> { status = (Integer) args[0]; yield null; }
                        case "setHeader" -> responseHeaders.put((String) args[0], (String) args[1]);
                        case "setContentType" -> { this.contentType = (String) args[0]; yield null; }
                        case "setCharacterEncoding", "resetBuffer" -> null;
                        case "getOutputStream" -> out;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        Exchange run(BearerTokenFilter filter) throws Exception {
            FilterChain application = (req, res) -> {
                reachedApplication = true;
                seenByApplication = BearerTokenFilter.token((HttpServletRequest) req);
            };
            filter.doFilter(request, response, application);
            return this;
        }

        String body() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private static Exchange get(String... authorization) {
        return new Exchange("GET", List.of(authorization), null, null, Map.of());
    }

    private String token() {
        return accessToken(key, issuer.issuer(), Instant.now());
    }

    @Test
    void admitsAValidTokenAndHandsItToTheApplication() throws Exception {
        Exchange exchange = get("Bearer " + token()).run(new BearerTokenFilter(validator));

        assertThat(exchange.reachedApplication).isTrue();
        assertThat(exchange.seenByApplication.subject()).isEqualTo("user-42");
        assertThat(exchange.attributes.get(BearerTokenFilter.VERIFIED_TOKEN)).isSameAs(exchange.seenByApplication);
    }

    @Test
    void challengesARequestWithoutTokenWithoutErrorAttributes() throws Exception {
        Exchange exchange = get().run(new BearerTokenFilter(validator).withRealm("orders"));

        assertThat(exchange.reachedApplication).isFalse();
        assertThat(exchange.status).isEqualTo(401);
        assertThat(exchange.responseHeaders).containsEntry("WWW-Authenticate", "Bearer realm=\"orders\"");
        assertThat(exchange.contentType).isEqualTo("application/json");
    }

    @Test
    void refusesAnInvalidTokenWith401AndAJsonBody() throws Exception {
        Exchange exchange = get("Bearer not.a.token").run(new BearerTokenFilter(validator));

        assertThat(exchange.reachedApplication).isFalse();
        assertThat(exchange.status).isEqualTo(401);
        assertThat(exchange.responseHeaders.get("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\", error_description=");
        assertThat(exchange.body()).startsWith("{\"error\":\"invalid_token\",\"error_description\":");
    }

    @Test
    void refusesAMissingScopeWith403NamingTheScope() throws Exception {
        Exchange exchange = get("Bearer " + token()).run(new BearerTokenFilter(validator).requiringScopes("orders:write"));

        assertThat(exchange.reachedApplication).isFalse();
        assertThat(exchange.status).isEqualTo(403);
        assertThat(exchange.responseHeaders.get("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"orders:write\"");
    }

    @Test
    void admitsATokenCarryingTheRequiredScopes() throws Exception {
        Exchange exchange = get("Bearer " + token()).run(new BearerTokenFilter(validator).requiringScopes("orders:read", "profile"));

        assertThat(exchange.reachedApplication).isTrue();
    }

    @Test
    void refusesTwoAuthorizationHeadersWith400() throws Exception {
        Exchange exchange = get("Bearer " + token(), "Bearer " + token()).run(new BearerTokenFilter(validator));

        assertThat(exchange.status).isEqualTo(400);
        assertThat(exchange.reachedApplication).isFalse();
    }

    @Test
    void ignoresAFormBodyTokenUnlessEnabled() throws Exception {
        Map<String, String[]> form = Map.of("access_token", new String[] {token()});

        Exchange ignored = new Exchange("POST", List.of(), "application/x-www-form-urlencoded", null, form)
                .run(new BearerTokenFilter(validator));
        Exchange accepted = new Exchange("POST", List.of(), "application/x-www-form-urlencoded; charset=UTF-8", null, form)
                .run(new BearerTokenFilter(validator).withFormBodyTokens());

        assertThat(ignored.status).isEqualTo(401);
        assertThat(accepted.reachedApplication).isTrue();
    }

    @Test
    void refusesATokenInTheQueryEvenWhenFormBodyTokensAreEnabled() throws Exception {
        String token = token();
        Exchange exchange = new Exchange("POST", new ArrayList<>(), "application/x-www-form-urlencoded", "access_token=" + token,
                Map.of("access_token", new String[] {token})).run(new BearerTokenFilter(validator).withFormBodyTokens());

        assertThat(exchange.status).isEqualTo(400);
        assertThat(exchange.reachedApplication).isFalse();
    }
}
