package dev.tessera.server.application.port;

import com.nimbusds.jose.jwk.JWK;

import java.net.URI;
import java.util.List;

/** A client's published public keys (its jwks_uri), cached; used to encrypt ID tokens to it. */
public interface ClientKeySource {
    /**
     * The keys at {@code jwksUri}.
     *
     * @throws KeysUnavailableException when they cannot be fetched or parsed
     */
    List<JWK> keys(URI jwksUri);

    final class KeysUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public KeysUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
