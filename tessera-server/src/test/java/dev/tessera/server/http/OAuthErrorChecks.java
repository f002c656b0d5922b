package dev.tessera.server.http;

import dev.tessera.server.testsupport.TokenClient;

import static org.assertj.core.api.Assertions.assertThat;

/** What every OAuth error answer must look like to a client, whatever went wrong. */
final class OAuthErrorChecks {
    // RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E.
    private static final String DESCRIPTION_CHARSET = "[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+";

    private OAuthErrorChecks() {
    }

    /** Status, error code, an actionable description in the §5.2 charset, no caching and no internals. */
    static TokenClient.Response assertOAuthError(TokenClient.Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.error()).as(response.body()).isEqualTo(error);
        assertThat(response.string("error_description")).as("error_description").isNotBlank()
                .matches(DESCRIPTION_CHARSET);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Pragma")).isEqualTo("no-cache");
        assertNoInternals(response);
        return response;
    }

    static void assertNoInternals(TokenClient.Response response) {
        assertThat(response.status()).as(response.body()).isLessThan(500);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.tessera")
                .doesNotContain("at java.").doesNotContain("at io.javalin");
    }
}
