package dev.tessera.server.domain.authz;

import java.time.Instant;
import java.util.List;

/** When and how the user authenticated: auth_time, acr and amr of OIDC Core §2. */
public record AuthenticationEvent(Instant authTime, String acr, List<String> amr) {
    public AuthenticationEvent {
        amr = List.copyOf(amr);
    }

    public static AuthenticationEvent password(Instant at) {
        return new AuthenticationEvent(at, "urn:tessera:acr:password", List.of("pwd"));
    }
}
