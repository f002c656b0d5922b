package dev.tessera.server.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The URI shapes the configuration accepts: issuers, redirect URIs, JWKS locations. */
final class UriRules {
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f.]*:[0-9a-f:.]*");
    // RFC 1123 labels; dotted IPv4 literals match too.
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private UriRules() {
    }

    static Optional<URI> absolute(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static boolean isHttpUrl(URI uri) {
        String scheme = scheme(uri);
        return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
    }

    static boolean isHttps(URI uri) {
        return scheme(uri).equals("https");
    }

    /** 127.0.0.0/8, ::1 and localhost; names are not resolved, so only literals and "localhost" count. */
    static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        var ipv4 = IPV4.matcher(h);
        if (ipv4.matches()) {
            for (int group = 1; group <= 4; group++) {
                if (Integer.parseInt(ipv4.group(group)) > 255) {
                    return false;
                }
            }
            return ipv4.group(1).equals("127");
        }
        if (h.startsWith("[") && h.endsWith("]") && IPV6_CHARS.matcher(h.substring(1, h.length() - 1)).matches()) {
            try {
                // Only hex digits, ':' and '.': InetAddress parses it as a literal and never does a DNS lookup.
                return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * An address a listener can bind: an IPv4 or IPv6 literal (brackets optional) or a DNS name; no scheme,
     * port or path.
     */
    static boolean isListenHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return HOST_NAME.matcher(bare).matches() || isIpv6Literal(bare.toLowerCase(Locale.ROOT));
    }

    private static boolean isIpv6Literal(String value) {
        // At least two colons (one would be host:port); brackets make InetAddress parse a literal, never look it up.
        if (!IPV6_CHARS.matcher(value).matches() || value.indexOf(':') == value.lastIndexOf(':')) {
            return false;
        }
        try {
            InetAddress.getByName("[" + value + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** https, or http with a loopback host. */
    static boolean isSecureOrLoopback(URI uri) {
        return isHttpUrl(uri) && (isHttps(uri) || isLoopbackHost(uri.getHost()));
    }

    /**
     * A redirect URI: absolute, no fragment (RFC 6749 §3.1.2), and https, loopback http or a private-use
     * scheme such as com.example.app (RFC 8252 §7.1-7.3). Null when acceptable, else the problem.
     */
    static String redirectUriProblem(String value) {
        Optional<URI> parsed = absolute(value);
        if (parsed.isEmpty() || parsed.get().getRawFragment() != null) {
            return "must be an absolute URI without a fragment";
        }
        URI uri = parsed.get();
        String scheme = scheme(uri);
        if (scheme.equals("https") && uri.getHost() != null) {
            return null;
        }
        if (scheme.equals("http") && isLoopbackHost(uri.getHost())) {
            return null;
        }
        // RFC 8252 §7.1: a private-use scheme is a reverse domain name, so it contains a period.
        if (!scheme.equals("http") && !scheme.equals("https") && scheme.contains(".")) {
            return null;
        }
        return "must use https, http on a loopback host, or a private-use scheme such as com.example.app (RFC 8252)";
    }

    /** The distinct hosts of some URIs (null for those without one), for the pairwise sector rule. */
    static Set<String> hosts(List<String> uris) {
        Set<String> hosts = new HashSet<>();
        for (String value : uris) {
            absolute(value).ifPresent(uri -> hosts.add(uri.getHost() == null ? null
                    : uri.getHost().toLowerCase(Locale.ROOT)));
        }
        return hosts;
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }
}
