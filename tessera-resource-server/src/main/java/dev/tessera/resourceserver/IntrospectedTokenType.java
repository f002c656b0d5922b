package dev.tessera.resourceserver;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells an access token from the other tokens an issuer's introspection endpoint also reports active. A
 * refresh token's answer carries the same sub, client_id and scope, and Tessera's names the client as its
 * audience, so without this check an API that is that client would accept a refresh token as a bearer token.
 */
final class IntrospectedTokenType {
    // RFC 7662 §2.2 names RFC 6749 §7.1 types ("Bearer"); some issuers answer with the RFC 8693 names instead.
    // DPoP-bound tokens are left out: this library cannot check their proof of possession.
    private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("bearer", "access_token",
            "urn:ietf:params:oauth:token-type:access_token");
    private static final Set<String> ACCESS_TOKEN_JWT_TYPES = Set.of("at+jwt", "application/at+jwt");

    private IntrospectedTokenType() {
    }

    /** @param tokenType the answer's token_type; without one only a JWT typed at+jwt (RFC 9068 §2.1) passes */
    static void requireAccessToken(Object tokenType, String token) throws TokenValidationException {
        boolean accessToken = tokenType == null
                ? isAccessTokenJwt(token)
                : tokenType instanceof String type && ACCESS_TOKEN_TYPES.contains(type.toLowerCase(Locale.ROOT));
        if (!accessToken) {
            throw TokenValidationException.invalidToken("the token is not an access token");
        }
    }

    private static boolean isAccessTokenJwt(String token) {
        try {
            JWT jwt = JWTParser.parse(token);
            JOSEObjectType type = jwt.getHeader().getType();
            return type != null && ACCESS_TOKEN_JWT_TYPES.contains(type.getType().toLowerCase(Locale.ROOT));
        } catch (ParseException opaque) {
            return false;
        }
    }
}
