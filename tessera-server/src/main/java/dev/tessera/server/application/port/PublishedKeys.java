package dev.tessera.server.application.port;

import com.nimbusds.jose.jwk.JWK;

import java.net.URI;
import java.util.List;

/**
 * The public verification keys another party publishes at a {@code jwks_uri} (a trusted issuer, or a client using
 * private_key_jwt), cached. An unknown {@code kid} triggers a refetch, but at most once a minute per URI, so a
 * stream of forged kids cannot turn this server into a load generator against that party.
 */
public interface PublishedKeys {
    /**
     * @param kid the JWT's key id; null asks for every published key
     */
    Lookup find(URI jwksUri, String kid);

    sealed interface Lookup {
        /** The keys that may have signed: the one with that kid, or all when no kid was given. */
        record Found(List<JWK> keys) implements Lookup {
            public Found {
                keys = List.copyOf(keys);
            }
        }

        /** The JWKS was read, and no key has that kid. */
        record Unknown() implements Lookup { }

        /** The JWKS could not be fetched or parsed, and no earlier copy is cached. */
        record Unavailable(String reason) implements Lookup { }
    }
}
