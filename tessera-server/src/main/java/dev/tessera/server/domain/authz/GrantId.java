package dev.tessera.server.domain.authz;

import java.util.UUID;

/** Names everything issued from one authorization (code, tokens, refresh family), so it can be revoked as one. */
public record GrantId(String value) {
    public static GrantId random() {
        return new GrantId(UUID.randomUUID().toString());
    }
}
