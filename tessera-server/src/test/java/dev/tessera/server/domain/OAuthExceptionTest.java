package dev.tessera.server.domain;

import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OAuthExceptionTest {
    @Test
    void keepsErrorCodeDescriptionAndPrivateDetailApart() {
        OAuthException e = new OAuthException(OAuthError.INVALID_GRANT, "the code has expired", "code hash abc");
        assertThat(e.error().code()).isEqualTo("invalid_grant");
        assertThat(e.description()).isEqualTo("the code has expired");
        assertThat(e.detail()).isEqualTo("code hash abc");
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void refusesDescriptionsOutsideTheRfc6749Charset() {
        // RFC 6749 §5.2: no double quote, no backslash, printable ASCII only
        assertThatThrownBy(() -> OAuthException.invalidRequest("bad \"quote\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthException.invalidRequest("back\\slash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthException.invalidRequest("line\nbreak")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthException.invalidRequest("caf\u00e9")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidClientAndInvalidTokenAre401() {
        assertThat(OAuthError.INVALID_CLIENT.httpStatus()).isEqualTo(401);
        assertThat(OAuthError.INVALID_TOKEN.httpStatus()).isEqualTo(401);
        assertThat(OAuthError.INVALID_GRANT.httpStatus()).isEqualTo(400);
    }
}
