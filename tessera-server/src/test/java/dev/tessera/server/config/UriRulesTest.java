package dev.tessera.server.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UriRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LocalHost", "127.0.0.1", "127.255.255.254", "[::1]", "[0:0:0:0:0:0:0:1]"})
    void loopbackHostsAreRecognised(String host) {
        assertThat(UriRules.isLoopbackHost(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.256", "128.0.0.1", "0.0.0.0", "localhost.example", "127.0.0.1.example",
            "[::2]", "[::ffff:10.0.0.1]", "::1", "example.com"})
    void otherHostsAreNotLoopback(String host) {
        assertThat(UriRules.isLoopbackHost(host)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[localhost]", "[not:an:address:at:all:zz]"})
    void bracketedNonsenseIsNotLoopbackAndIsNeverLookedUp(String host) {
        assertThat(UriRules.isLoopbackHost(host)).isFalse();
    }
}
