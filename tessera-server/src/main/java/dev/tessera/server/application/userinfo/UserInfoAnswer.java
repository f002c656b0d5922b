package dev.tessera.server.application.userinfo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What /userinfo sends back (OIDC Core §5.3.2): plain JSON, or a JWT for clients that registered one. */
public sealed interface UserInfoAnswer {

    /** {@code application/json}: the released claims as they are. */
    record Claims(Map<String, Object> claims) implements UserInfoAnswer {
        public Claims {
            claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims)); // keeps sub first
        }
    }

    /** {@code application/jwt}: signed by Tessera, and a nested JWE when the client registered encryption. */
    record Jwt(String compact) implements UserInfoAnswer {
    }
}
