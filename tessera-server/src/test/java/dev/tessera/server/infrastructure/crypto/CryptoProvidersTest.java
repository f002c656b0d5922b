package dev.tessera.server.infrastructure.crypto;

import org.junit.jupiter.api.Test;

import java.security.Security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CryptoProvidersTest {
    @Test
    void autoInstallsCorrettoAtTheHighestPriorityWhenItsNativeLibraryLoads() {
        CryptoProviders providers = CryptoProviders.configure("auto");

        if (providers.usesCorretto()) {
            assertThat(Security.getProviders()[0].getName()).isEqualTo("AmazonCorrettoCryptoProvider");
            assertThat(providers.provider().getService("Signature", "SHA256withRSA")).isNotNull();
            assertThat(providers.description()).startsWith("Amazon Corretto Crypto Provider 2.");
        } else {
            assertThat(providers.provider()).isNull();
            assertThat(providers.description()).contains("Corretto");
        }
    }

    @Test
    void configuringTwiceIsHarmless() {
        CryptoProviders first = CryptoProviders.configure("auto");
        CryptoProviders second = CryptoProviders.configure("AUTO");

        assertThat(second.provider()).isSameAs(first.provider());
        assertThat(java.util.Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals("AmazonCorrettoCryptoProvider")))
                .hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void jdkLeavesTheJdkProvidersAndOffersNoProvider() {
        CryptoProviders providers = CryptoProviders.configure("jdk");

        assertThat(providers.mode()).isEqualTo(CryptoProviders.Mode.JDK);
        assertThat(providers.provider()).isNull();
        assertThat(providers.usesCorretto()).isFalse();
    }

    @Test
    void anUnknownModeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> CryptoProviders.configure("bouncy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys.provider must be auto or jdk");
    }
}
