package dev.tessera.server.application.port;

import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;
import java.util.Optional;

/** Authorization codes, stored by hash. {@link #redeem} is the single atomic gate that makes codes single use. */
public interface AuthorizationCodeStore {
    void save(AuthorizationCode code);

    /**
     * Marks the code used if it is unused and unexpired, in one atomic statement: of any number of
     * concurrent callers exactly one gets {@link Redemption.Redeemed}.
     */
    Redemption redeem(TokenHash hash, Instant now);

    /**
     * The code whatever its state, to build a response before redeeming it; only {@link #redeem} decides
     * whether it may be used.
     */
    Optional<StoredCode> find(TokenHash hash);

    /** Deletes codes that expired before {@code now}; a used code is kept until then so replays are recognised. */
    int purgeExpired(Instant now);

    /** A stored code; {@code usedAt} is null until it is redeemed. */
    record StoredCode(AuthorizationCode code, Instant usedAt) { }

    sealed interface Redemption {
        record Redeemed(AuthorizationCode code) implements Redemption { }

        /** The code was already used: the caller must revoke what its first use issued. */
        record Replayed(AuthorizationCode code) implements Redemption { }

        record Expired() implements Redemption { }

        record Unknown() implements Redemption { }
    }
}
