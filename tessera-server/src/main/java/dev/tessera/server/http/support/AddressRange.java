package dev.tessera.server.http.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address with an optional {@code /prefix} (an {@code http.trustedProxies} entry), and the
 * strict literal parsing that forwarded headers need: only address literals are read, so a value from a
 * request can never start a DNS lookup. The syntax is the one {@code config.AddressRanges} validates.
 */
public final class AddressRange {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:]*");
    private static final Pattern IPV6_WITH_IPV4_TAIL = Pattern.compile("[0-9A-Fa-f:]*:" + IPV4.pattern());
    private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");

    private final byte[] network;
    private final int prefixLength;

    private AddressRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** An address or CIDR range as configured; empty when it is anything else (host names included). */
    public static Optional<AddressRange> parse(String range) {
        if (range == null) {
            return Optional.empty();
        }
        int slash = range.indexOf('/');
        String address = slash < 0 ? range : range.substring(0, slash);
        Optional<InetAddress> parsed = IPV4.matcher(address).matches() || IPV6.matcher(address).matches()
                ? literal(address) : Optional.empty();
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = parsed.get().getAddress();
        int bits = bytes.length * 8;
        if (slash < 0) {
            return Optional.of(new AddressRange(bytes, bits));
        }
        String prefix = range.substring(slash + 1);
        if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
            return Optional.empty();
        }
        return Optional.of(new AddressRange(bytes, Integer.parseInt(prefix)));
    }

    /**
     * An IPv4 literal (dotted quad only: {@code 127.1} is refused) or an IPv6 literal without a zone; an
     * IPv4-mapped IPv6 address comes back as its IPv4 address.
     */
    public static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        boolean ipv4 = IPV4.matcher(text).matches();
        if (!ipv4 && !IPV6.matcher(text).matches() && !IPV6_WITH_IPV4_TAIL.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // A dotted quad or a string with a colon is parsed by the JDK as a literal, never looked up.
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest);
        return (candidate[full] & mask) == (network[full] & mask);
    }
}
