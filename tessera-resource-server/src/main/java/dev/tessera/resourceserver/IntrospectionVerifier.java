package dev.tessera.resourceserver;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks opaque access tokens by asking the issuer (RFC 7662). Active answers are cached briefly,
 * keyed by the token's SHA-256 so raw tokens are not kept; a revoked token therefore stays usable
 * for at most the cache time, never past its own {@code exp}.
 */
final class IntrospectionVerifier implements AccessTokenVerifier {
    /** Bounds memory under a flood of distinct valid tokens; beyond it answers are simply not cached. */
    private static final int MAX_CACHED_ANSWERS = 10_000;
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final URI endpoint;
    private final String authorization;
    private final HttpClient http;
    private final Duration readTimeout;
    private final Duration cacheTtl;
    private final Clock clock;
    private final AccessTokenClaimsCheck claimsCheck;
    private final Map<String, CachedAnswer> cache = new ConcurrentHashMap<>();

    private record CachedAnswer(VerifiedToken token, Instant cachedUntil) {
    }

    IntrospectionVerifier(URI endpoint, String clientId, String clientSecret, Duration connectTimeout, Duration readTimeout,
            Duration cacheTtl, Clock clock, AccessTokenClaimsCheck claimsCheck) {
        this.endpoint = endpoint;
        this.authorization = basicCredentials(clientId, clientSecret);
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = readTimeout;
        this.cacheTtl = cacheTtl;
        this.clock = clock;
        this.claimsCheck = claimsCheck;
    }

    /** RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined and Base64-encoded. */
    static String basicCredentials(String clientId, String clientSecret) {
        String joined = formEncode(clientId) + ":" + formEncode(clientSecret);
        return "Basic " + Base64.getEncoder().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public VerifiedToken verify(String token) throws TokenValidationException {
        String key = sha256(token);
        Instant now = clock.instant();
        CachedAnswer cached = cache.get(key);
        if (cached != null) {
            if (now.isBefore(cached.cachedUntil())) {
                return cached.token();
            }
            cache.remove(key, cached);
        }
        VerifiedToken verified = claimsCheck.check(introspect(token));
        remember(key, verified, now);
        return verified;
    }

    private JWTClaimsSet introspect(String token) throws TokenValidationException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(readTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "token=" + formEncode(token) + "&token_type_hint=access_token")) // RFC 7662 §2.1
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException unreachable) {
            throw TokenValidationException.unavailable("the token introspection endpoint could not be reached", unreachable);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw TokenValidationException.unavailable("token introspection was interrupted", interrupted);
        }
        if (response.statusCode() != 200 || response.body().length > MAX_RESPONSE_BYTES) {
            // a 401 here means our own client credentials are wrong: the caller's token is not to blame
            throw TokenValidationException.unavailable("the token introspection endpoint refused the request",
                    new IOException("introspection answered HTTP " + response.statusCode()));
        }
        Map<String, Object> answer;
        try {
            answer = JSONObjectUtils.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (ParseException notJson) {
            throw TokenValidationException.unavailable("the token introspection answer was not JSON", notJson);
        }
        if (!Boolean.TRUE.equals(answer.get("active"))) { // RFC 7662 §2.2: anything but true means inactive
            throw TokenValidationException.invalidToken("the access token is not active");
        }
        IntrospectedTokenType.requireAccessToken(answer.get("token_type"), token);
        try {
            return JWTClaimsSet.parse(answer);
        } catch (ParseException wrongTypes) {
            throw TokenValidationException.invalidToken("the access token has a claim of the wrong type");
        }
    }

    private void remember(String key, VerifiedToken verified, Instant now) {
        Instant until = now.plus(cacheTtl);
        if (verified.expiresAt().isBefore(until)) {
            until = verified.expiresAt();
        }
        if (cache.size() >= MAX_CACHED_ANSWERS) {
            cache.values().removeIf(answer -> !now.isBefore(answer.cachedUntil()));
            if (cache.size() >= MAX_CACHED_ANSWERS) {
                return;
            }
        }
        cache.put(key, new CachedAnswer(verified, until));
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform has SHA-256", impossible);
        }
    }

    @Override
    public void close() {
        cache.clear();
    }
}
