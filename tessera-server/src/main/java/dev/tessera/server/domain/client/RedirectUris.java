package dev.tessera.server.domain.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A client's registered redirect URIs. Matching is exact string comparison, except that a
 * registered loopback IP URI matches any port (RFC 8252 §7.3), since native apps pick their
 * port at run time.
 */
public final class RedirectUris {
    private final List<String> registered;

    public RedirectUris(List<String> registered) {
        this.registered = List.copyOf(registered);
    }

    public List<String> registered() {
        return registered;
    }

    public boolean isEmpty() {
        return registered.isEmpty();
    }

    public boolean matches(String requested) {
        if (requested == null) {
            return false;
        }
        for (String candidate : registered) {
            if (candidate.equals(requested) || loopbackMatch(candidate, requested)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6749 §3.1.2.3: the redirect_uri may be omitted only when exactly one is registered. */
    public Optional<String> defaultUri() {
        return registered.size() == 1 ? Optional.of(registered.get(0)) : Optional.empty();
    }

    private static boolean loopbackMatch(String registeredUri, String requestedUri) {
        Optional<URI> reg = parse(registeredUri);
        Optional<URI> req = parse(requestedUri);
        if (reg.isEmpty() || req.isEmpty()) {
            return false;
        }
        URI a = reg.get();
        URI b = req.get();
        // RFC 8252 §8.3: "localhost" is not a loopback literal, so only the IP literals get the port rule.
        return "http".equals(a.getScheme()) && "http".equals(b.getScheme())
                && isLoopbackLiteral(a.getHost()) && a.getHost().equals(b.getHost())
                && a.getUserInfo() == null && b.getUserInfo() == null
                && equalsNullable(a.getRawPath(), b.getRawPath())
                && equalsNullable(a.getRawQuery(), b.getRawQuery())
                && a.getRawFragment() == null && b.getRawFragment() == null;
    }

    private static boolean isLoopbackLiteral(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("127.0.0.1") || h.equals("[::1]");
    }

    private static boolean equalsNullable(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static Optional<URI> parse(String value) {
        try {
            return Optional.of(new URI(value));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
