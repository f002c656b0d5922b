package dev.tessera.server.http.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which address sign-in throttling keys on: the TCP peer, unless it is a trusted proxy; then the forwarded
 * chain read from the right, skipping trusted hops (RFC 7239 §5.2, X-Forwarded-For alike).
 */
class ClientAddressesTest {
    private static final ClientAddresses BEHIND_PROXIES = ClientAddresses.trusting(List.of("10.0.0.0/8", "fd00::/8"));
    private static final ClientAddresses DIRECT = ClientAddresses.trusting(List.of());

    private static String key(ClientAddresses addresses, String peer, String forwarded, String xForwardedFor) {
        return addresses.keyOf(peer, forwarded == null ? List.of() : List.of(forwarded),
                xForwardedFor == null ? List.of() : List.of(xForwardedFor));
    }

    @Test
    void withoutTrustedProxiesTheForwardedHeadersAreIgnored() {
        assertThat(key(DIRECT, "10.1.2.3", "for=203.0.113.7", "203.0.113.8")).isEqualTo("10.1.2.3");
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        assertThat(key(BEHIND_PROXIES, "198.51.100.4", "for=203.0.113.7", "203.0.113.8")).isEqualTo("198.51.100.4");
    }

    @Test
    void behindATrustedProxyTheForwardedClientIsTheKey() {
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", "for=203.0.113.7;proto=https;by=10.0.0.2", null))
                .isEqualTo("203.0.113.7");
    }

    @Test
    void theChainIsReadFromTheRightSkippingTrustedHopsSoAForgedLeftEntryIsIgnored() {
        // the client sent "1.1.1.1" itself; its proxy appended what it saw, then our second proxy did
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "1.1.1.1, 203.0.113.7, 10.0.0.9")).isEqualTo("203.0.113.7");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", "for=1.1.1.1, for=203.0.113.7, for=10.0.0.9", null))
                .isEqualTo("203.0.113.7");
    }

    @Test
    void aChainOfOnlyTrustedHopsEndsAtItsLeftmostAddress() {
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "10.0.0.7, 10.0.0.9")).isEqualTo("10.0.0.7");
    }

    @Test
    void anEntryThatIsNoAddressStopsTheWalkAtTheLastTrustedHop() {
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", "for=unknown", null)).isEqualTo("10.0.0.2");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", "for=_hidden, for=10.0.0.9", null)).isEqualTo("10.0.0.9");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "203.0.113.7, proxy.example.com")).isEqualTo("10.0.0.2");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "")).isEqualTo("10.0.0.2");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", "proto=https", null)).isEqualTo("10.0.0.2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "for=\"[2001:db8:cafe::17]:4711\"      | 2001:db8:cafe:0:0:0:0:0/64",
            "for=\"203.0.113.7:47011\"             | 203.0.113.7",
            "For=\"203.0.113.7\" ; proto=http      | 203.0.113.7",
            "for=\"[2001:db8::1]\";by=\"a,b\"       | 2001:db8:0:0:0:0:0:0/64",
            "FOR=203.0.113.7                     | 203.0.113.7"})
    void forwardedValuesMayBeQuotedBracketedAndCarryAPort(String forwarded, String expected) {
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", forwarded, null)).isEqualTo(expected);
    }

    @Test
    void xForwardedForEntriesMayCarryAPort() {
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "203.0.113.7:1234")).isEqualTo("203.0.113.7");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "[2001:db8::5]:1234")).isEqualTo("2001:db8:0:0:0:0:0:0/64");
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64() {
        String one = key(BEHIND_PROXIES, "10.0.0.2", null, "2001:db8:1:2::5");
        String sameNetwork = key(BEHIND_PROXIES, "10.0.0.2", null, "2001:db8:1:2:ffff:ffff:ffff:ffff");
        String otherNetwork = key(BEHIND_PROXIES, "10.0.0.2", null, "2001:db8:1:3::5");

        assertThat(one).isEqualTo(sameNetwork).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(otherNetwork).isNotEqualTo(one);
        assertThat(key(DIRECT, "2001:db8:1:2::5", null, null)).isEqualTo(one);
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Address() {
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(key(DIRECT, "::ffff:203.0.113.7", null, null)).isEqualTo("203.0.113.7");
    }

    @Test
    void trustedIpv6ProxiesAreMatchedByPrefix() {
        assertThat(key(BEHIND_PROXIES, "fd12::1", null, "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(key(BEHIND_PROXIES, "fe80::1", null, "203.0.113.7")).isEqualTo("fe80:0:0:0:0:0:0:0/64");
    }

    @Test
    void whenForwardedAndXForwardedForDisagreeTheTrustedPeerIsTheKey() {
        // One of them was written by the client and passed through; there is no telling which.
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", "for=1.1.1.1", "203.0.113.7")).isEqualTo("10.0.0.2");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", "for=203.0.113.7", "203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void repeatedHeaderLinesFormOneList() {
        assertThat(BEHIND_PROXIES.keyOf("10.0.0.2", List.of(), List.of("1.1.1.1", "203.0.113.7"))).isEqualTo("203.0.113.7");
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        // a name in the chain would otherwise make every request a DNS query an attacker chooses
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "localhost")).isEqualTo("10.0.0.2");
        assertThat(key(BEHIND_PROXIES, "10.0.0.2", null, "127.1")).isEqualTo("10.0.0.2");
    }
}
