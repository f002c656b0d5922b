package dev.tessera.server.http.support;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.time.Duration;

/**
 * The SSO session cookie: HttpOnly, SameSite=Lax (so the top-level redirect from the client still
 * carries it), Secure and {@code __Host-} prefixed whenever the issuer is https, so no sibling subdomain or
 * plain-http page can set or overwrite it (RFC 6265bis §4.1.3.2).
 */
public final class SessionCookie {
    private static final String NAME = "tessera_session";

    private final boolean secure;
    private final Duration maxAge;

    public SessionCookie(boolean secure, Duration maxAge) {
        this.secure = secure;
        this.maxAge = maxAge;
    }

    public String name() {
        return secure ? "__Host-" + NAME : NAME;
    }

    public String read(Context ctx) {
        return ctx.cookie(name());
    }

    public void set(Context ctx, String value) {
        ctx.cookie(cookie(value, (int) maxAge.toSeconds()));
    }

    public void clear(Context ctx) {
        ctx.cookie(cookie("", 0));
    }

    private Cookie cookie(String value, int maxAgeSeconds) {
        Cookie cookie = new Cookie(name(), value);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        cookie.setSameSite(SameSite.LAX);
        cookie.setPath("/");
        cookie.setMaxAge(maxAgeSeconds);
        return cookie;
    }
}
