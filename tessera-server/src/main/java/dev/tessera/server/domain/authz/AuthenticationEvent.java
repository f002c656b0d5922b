package dev.tessera.server.domain.authz;

import java.time.Instant;
import java.util.List;

/**
 * When and how the user authenticated: auth_time, acr and amr of OIDC Core §2. {@link AuthenticationLevels}
 * makes the ones a sign-in produces.
 */
public record AuthenticationEvent(Instant authTime, String acr, List<String> amr) {
    public AuthenticationEvent {
        amr = List.copyOf(amr);
    }
}
