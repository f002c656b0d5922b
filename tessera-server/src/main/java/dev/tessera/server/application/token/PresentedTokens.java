package dev.tessera.server.application.token;

import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.RefreshTokenStore.StoredRefreshToken;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.TokenHash;

import java.util.Optional;

/**
 * What introspection and revocation share about a token a client presents: token_type_hint only orders
 * the lookups (RFC 7662 §2.1, RFC 7009 §2.1), and a value too long to be one of our opaque tokens is
 * never hashed and looked up.
 */
public final class PresentedTokens {
    public static final int MAX_OPAQUE_LENGTH = 256;

    private PresentedTokens() {
    }

    public static boolean tryRefreshFirst(String token, String hint) {
        return "refresh_token".equals(hint) || token.startsWith(OpaqueToken.REFRESH_PREFIX);
    }

    public static Optional<StoredRefreshToken> findRefresh(RefreshTokenStore store, String token) {
        return token.length() > MAX_OPAQUE_LENGTH ? Optional.empty() : store.find(TokenHash.of(token));
    }
}
