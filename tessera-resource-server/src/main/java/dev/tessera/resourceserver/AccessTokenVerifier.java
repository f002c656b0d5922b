package dev.tessera.resourceserver;

import java.io.Closeable;

/** One way of checking an access token: locally against the JWKS, or by asking the issuer. */
sealed interface AccessTokenVerifier extends Closeable permits JwtAccessTokenVerifier, IntrospectionVerifier {

    VerifiedToken verify(String token) throws TokenValidationException;

    @Override
    void close();
}
