package dev.tessera.server.http.support;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Signed double-submit CSRF protection (OWASP CSRF Prevention Cheat Sheet): a random per-browser value in a
 * SameSite=Strict, HttpOnly cookie, and in the form an HMAC-SHA256 of that value under a server key. Someone
 * able to plant a cookie cannot make a matching field without the key, and the key lives in the shared store,
 * so every instance accepts the forms of every other. On an https issuer the cookie is {@code __Host-} prefixed.
 */
public final class CsrfTokens {
    public static final String FIELD = "csrf";
    private static final String COOKIE = "tessera_csrf";
    private static final Pattern BROWSER_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean secure;
    private final SecretKeySpec key;

    /** @param key at least 32 random bytes, the same on every instance */
    public CsrfTokens(boolean secure, byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the CSRF key must have at least 256 bits");
        }
        this.secure = secure;
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The cookie's name: {@code __Host-} on https, so only this host, over TLS, may set it (RFC 6265bis §4.1.3.2). */
    public String cookieName() {
        return secure ? "__Host-" + COOKIE : COOKIE;
    }

    /** The token for a form on this response, made from the browser's value (set as a cookie when it has none). */
    public String tokenFor(Context ctx) {
        String browserValue = ctx.cookie(cookieName());
        if (browserValue == null || !BROWSER_VALUE.matcher(browserValue).matches()) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            browserValue = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Cookie cookie = new Cookie(cookieName(), browserValue);
            cookie.setHttpOnly(true);
            cookie.setSecure(secure);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setPath("/");
            ctx.cookie(cookie);
        }
        return sign(browserValue);
    }

    public boolean isValid(Context ctx, String submitted) {
        String browserValue = ctx.cookie(cookieName());
        if (browserValue == null || submitted == null || !BROWSER_VALUE.matcher(browserValue).matches()) {
            return false;
        }
        return MessageDigest.isEqual(sign(browserValue).getBytes(StandardCharsets.US_ASCII),
                submitted.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String browserValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // not thread-safe: one per call
            mac.init(key);
            byte[] tag = mac.doFinal(("tessera-csrf\n" + browserValue).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }
}
