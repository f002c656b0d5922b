package dev.tessera.server.http.support;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Double-submit CSRF protection: a random value in a SameSite=Strict, HttpOnly cookie must come back in
 * the form's {@code csrf} field. Needs no server state, so it works across instances.
 */
public final class CsrfTokens {
    public static final String COOKIE = "tessera_csrf";
    public static final String FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean secure;

    public CsrfTokens(boolean secure) {
        this.secure = secure;
    }

    /** The token for a form on this response: the browser's existing one, or a new one set as a cookie. */
    public String tokenFor(Context ctx) {
        String existing = ctx.cookie(COOKIE);
        if (existing != null && existing.length() == 43) {
            return existing;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Cookie cookie = new Cookie(COOKIE, token);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        cookie.setSameSite(SameSite.STRICT);
        cookie.setPath("/");
        ctx.cookie(cookie);
        return token;
    }

    public boolean isValid(Context ctx, String submitted) {
        String expected = ctx.cookie(COOKIE);
        if (expected == null || submitted == null || expected.length() != 43) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.US_ASCII));
    }
}
