package dev.tessera.server.http.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** If-None-Match as RFC 9110 §13.1.2 reads it: "*" or a list of entity tags, compared weakly. */
class CachedBodyTest {
    private static final String TAG = "\"abc123\"";

    @Test
    void theSameTagMatchesAloneInAListAndInItsWeakForm() {
        assertThat(CachedBody.matches("\"abc123\"", TAG)).isTrue();
        assertThat(CachedBody.matches("\"old\", \"abc123\"", TAG)).isTrue();
        assertThat(CachedBody.matches("\"old\",\"abc123\" ,\"other\"", TAG)).isTrue();
        assertThat(CachedBody.matches("W/\"abc123\"", TAG)).isTrue();
        assertThat(CachedBody.matches(" * ", TAG)).isTrue();
    }

    @Test
    void otherTagsPrefixesAndUnquotedValuesDoNotMatch() {
        assertThat(CachedBody.matches(null, TAG)).isFalse();
        assertThat(CachedBody.matches("", TAG)).isFalse();
        assertThat(CachedBody.matches("\"abc\"", TAG)).isFalse();
        assertThat(CachedBody.matches("\"abc1234\"", TAG)).isFalse();
        assertThat(CachedBody.matches("abc123", TAG)).as("unquoted").isFalse();
        assertThat(CachedBody.matches("\"abc123", TAG)).as("unterminated").isFalse();
        assertThat(CachedBody.matches("\"x\", abc123", TAG)).as("malformed after a good tag").isFalse();
        assertThat(CachedBody.matches("\"a,\"abc123\"\"", TAG)).as("comma inside a tag").isFalse();
    }

    @Test
    void theTagIsStrongAndDependsOnlyOnTheBytes() {
        CachedBody one = CachedBody.of("{\"keys\":[]}", "application/json");
        CachedBody same = CachedBody.of("{\"keys\":[]}", "application/json");
        CachedBody other = CachedBody.of("{\"keys\":[{}]}", "application/json");

        assertThat(one.etag()).matches("\"[A-Za-z0-9_-]{43}\"").isEqualTo(same.etag()).isNotEqualTo(other.etag());
    }
}
