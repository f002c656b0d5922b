package dev.tessera.server.http.support;

import io.javalin.http.Context;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client address a request counts against (sign-in throttling, audit). Forwarded headers are believed
 * only when the TCP peer is a trusted proxy ({@code http.trustedProxies}); the chain is then read from the
 * right, skipping trusted hops, because only the entries our own proxies appended are true (RFC 7239 §5.2;
 * X-Forwarded-For alike). IPv6 clients are keyed by their /64, the block one subscriber usually holds.
 */
public final class ClientAddresses {
    // More hops than any real chain; bounds the work a long forged header can cause.
    private static final int MAX_HOPS = 20;

    private final List<AddressRange> trustedProxies;

    private ClientAddresses(List<AddressRange> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** @param trustedProxies addresses or CIDR ranges, already validated with the configuration */
    public static ClientAddresses trusting(List<String> trustedProxies) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String proxy : trustedProxies) {
            ranges.add(AddressRange.parse(proxy)
                    .orElseThrow(() -> new IllegalArgumentException("http.trustedProxies holds an invalid entry")));
        }
        return new ClientAddresses(ranges);
    }

    public String keyOf(Context ctx) {
        return keyOf(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("Forwarded")),
                Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /** @param forwarded every {@code Forwarded} header line, in order; likewise {@code xForwardedFor} */
    String keyOf(String peer, List<String> forwarded, List<String> xForwardedFor) {
        Optional<InetAddress> peerAddress = AddressRange.literal(unbracket(peer));
        if (peerAddress.isEmpty()) {
            return peer == null ? "" : peer;
        }
        if (!isTrusted(peerAddress.get())) {
            return key(peerAddress.get());
        }
        Optional<InetAddress> byForwarded = forwarded.isEmpty() ? Optional.empty()
                : Optional.of(walk(peerAddress.get(), ForwardedHeader.forValues(String.join(",", forwarded))));
        Optional<InetAddress> byXff = xForwardedFor.isEmpty() ? Optional.empty()
                : Optional.of(walk(peerAddress.get(), List.of(String.join(",", xForwardedFor).split(",", -1))));
        if (byForwarded.isPresent() && byXff.isPresent() && !byForwarded.get().equals(byXff.get())) {
            // One of the two came from the client and passed through untouched, and nothing tells which: keying
            // on our proxy confines whoever forged it to one shared bucket instead of any address they like.
            return key(peerAddress.get());
        }
        return key(byForwarded.or(() -> byXff).orElse(peerAddress.get()));
    }

    // Right to left: each entry was appended by the hop to its right, so it is true as long as that hop is ours.
    private InetAddress walk(InetAddress peer, List<String> hops) {
        InetAddress current = peer;
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            Optional<InetAddress> hop = node(hops.get(i));
            if (hop.isEmpty()) {
                return current; // "unknown", obfuscated or garbage: the last hop we trust is all we know
            }
            if (!isTrusted(hop.get())) {
                return hop.get();
            }
            current = hop.get();
        }
        return current;
    }

    private boolean isTrusted(InetAddress address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address as a hop writes it: bare, {@code 192.0.2.1:8080}, {@code [2001:db8::1]} or {@code [2001:db8::1]:8080}. */
    private static Optional<InetAddress> node(String raw) {
        String value = raw.strip();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close < 0 ? Optional.empty() : AddressRange.literal(value.substring(1, close));
        }
        int colon = value.indexOf(':');
        if (colon >= 0 && colon == value.lastIndexOf(':')) {
            value = value.substring(0, colon); // IPv4 with a port
        }
        return AddressRange.literal(value);
    }

    private static String unbracket(String address) {
        return address != null && address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
    }

    private static String key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] network = address.getAddress();
        for (int i = 8; i < network.length; i++) {
            network[i] = 0;
        }
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    /** The {@code for=} values of an RFC 7239 {@code Forwarded} header, one per element, in order. */
    static final class ForwardedHeader {
        private ForwardedHeader() {
        }

        static List<String> forValues(String header) {
            List<String> values = new ArrayList<>();
            for (String element : split(header, ',')) {
                String value = "";
                for (String pair : split(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                        value = unquote(pair.substring(eq + 1).strip());
                    }
                }
                values.add(value); // an element without for= is a hop we know nothing about
            }
            return values;
        }

        // Splits on the separator outside quoted strings (RFC 7230 §3.2.6 quoted-string, with \-escapes).
        private static List<String> split(String text, char separator) {
            List<String> parts = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted && c == '\\' && i + 1 < text.length()) {
                    part.append(c).append(text.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == separator && !quoted) {
                    parts.add(part.toString());
                    part.setLength(0);
                    continue;
                }
                part.append(c);
            }
            parts.add(part.toString());
            return parts;
        }

        private static String unquote(String value) {
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            return value;
        }
    }
}
