package dev.tessera.server.http.view;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks URLs that end up in an {@code href} or form {@code action}. jte escapes markup but not
 * meaning: a {@code javascript:} URL survives HTML escaping intact, so pages accept only http(s)
 * URLs or server-relative paths.
 */
final class PageLinks {
    private PageLinks() {
    }

    /** An absolute http or https URL, e.g. a client's registered redirect URI. */
    static String requireWebUrl(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        URI uri = parse(value, what);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL");
        }
        return value;
    }

    /** A form action on this server: a path such as {@code /login}, or an absolute http(s) URL. */
    static String requireFormAction(String value, String what) {
        if (value != null && value.startsWith("/") && !value.startsWith("//")) {
            parse(value, what);
            return value;
        }
        return requireWebUrl(value, what);
    }

    private static URI parse(String value, String what) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid URI", e);
        }
    }
}
