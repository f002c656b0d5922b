package dev.tessera.server.application.mfa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Base32Test {
    /** RFC 4648 §10 test vectors, padded as written there. */
    @ParameterizedTest
    @CsvSource({"f, MY======", "fo, MZXQ====", "foo, MZXW6===", "foob, MZXW6YQ=", "fooba, MZXW6YTB",
            "foobar, MZXW6YTBOI======"})
    void theRfc4648Vectors(String text, String encoded) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        assertThat(Base32.decode(encoded)).isEqualTo(bytes);
        assertThat(Base32.encode(bytes)).isEqualTo(encoded.replace("=", ""));
    }

    @Test
    void theRfc6238SeedRoundTrips() {
        byte[] seed = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

        assertThat(Base32.encode(seed)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Base32.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")).isEqualTo(seed);
    }

    @Test
    void lowerCaseSpacesAndMissingPaddingAreAccepted() {
        assertThat(Base32.decode("mzxw 6ytb oi")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "MZXW1", "MZXW8", "MZ-XW", "MZXW6YTBO", "M=======", "MZX=", "MZXW6Y\u00C4"})
    void anythingElseIsRefusedWithoutRepeatingIt(String text) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    if (!text.isBlank()) {
                        assertThat(e.getMessage()).doesNotContain(text);
                    }
                });
    }
}
