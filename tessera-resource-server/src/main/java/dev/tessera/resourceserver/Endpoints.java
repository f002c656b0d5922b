package dev.tessera.resourceserver;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Guards the URLs that keys and introspection answers come from: HTTPS unless loopback or opted out. */
final class Endpoints {
    private Endpoints() {
    }

    static URI requireSecure(URI uri, boolean allowPlainHttp) {
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + uri);
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("https")) {
            return uri;
        }
        if (scheme.equals("http") && (allowPlainHttp || isLoopback(uri.getHost()))) {
            return uri;
        }
        // keys fetched over plain HTTP could be swapped by anyone on the path
        throw new IllegalArgumentException("HTTPS is required (or allowPlainHttp() for a trusted network): " + uri);
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // never resolve names here: only literal addresses count
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
