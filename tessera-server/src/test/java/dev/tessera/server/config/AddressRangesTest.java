package dev.tessera.server.config;

import dev.tessera.server.http.support.AddressRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration (which may not depend on the HTTP layer) validates {@code http.trustedProxies} with its
 * own check; this keeps that check and the HTTP layer's parser accepting exactly the same entries.
 */
class AddressRangesTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "::1", "::", "::/0",
            "2001:db8::/32", "fd00::/8", "2001:db8:0:0:0:0:0:1/128", "proxy.internal", "localhost", "10.0.0.0/33",
            "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/08", "1.2.3", "127.1", "256.1.1.1", "10.0.0.1 ", "",
            "fe80::1%eth0", "::ffff:10.0.0.1", "2001:db8::g", "10.0.0.0/8/8", "*", "[::1]", "1:2:3:4:5:6:7:8:9",
            "01.2.3.4", "10.0.0.0/1000"})
    void theConfigCheckAndTheHttpParserAgree(String entry) {
        assertThat(AddressRanges.isValid(entry)).isEqualTo(AddressRange.parse(entry).isPresent());
    }
}
