package dev.tessera.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The syntax of {@code http.trustedProxies} entries: an IPv4 or IPv6 address literal, optionally with a
 * {@code /prefix}. Only literals are accepted, so checking one never starts a DNS lookup.
 */
final class AddressRanges {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    // No embedded IPv4 (::ffff:10.0.0.1): write the IPv4 range itself.
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:]*");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");

    private AddressRanges() {
    }

    static boolean isValid(String range) {
        if (range == null) {
            return false;
        }
        int slash = range.indexOf('/');
        String address = slash < 0 ? range : range.substring(0, slash);
        int bits;
        if (IPV4.matcher(address).matches()) {
            bits = 32;
        } else if (IPV6.matcher(address).matches() && isIpv6Literal(address)) {
            bits = 128;
        } else {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String prefix = range.substring(slash + 1);
        return PREFIX.matcher(prefix).matches() && Integer.parseInt(prefix) <= bits;
    }

    // A string with a colon is parsed as an IPv6 literal by the JDK, never looked up.
    private static boolean isIpv6Literal(String address) {
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
