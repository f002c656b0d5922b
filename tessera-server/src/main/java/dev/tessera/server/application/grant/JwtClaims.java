package dev.tessera.server.application.grant;

import com.nimbusds.jwt.JWTClaimsSet;

import java.text.ParseException;

/** Reading optional claims of a JWT whose signature was already checked. */
final class JwtClaims {
    private JwtClaims() {
    }

    /** The claim when it is a string; null when absent or of another type (the check that needs it then fails). */
    static String optionalString(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }
}
