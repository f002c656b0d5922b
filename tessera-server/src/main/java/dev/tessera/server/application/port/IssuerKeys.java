package dev.tessera.server.application.port;

import com.nimbusds.jose.jwk.JWK;
import dev.tessera.server.domain.trust.TrustedIssuer;

import java.util.List;

/**
 * The public keys a trusted issuer publishes at its jwksUri, cached. An unknown {@code kid} triggers a refetch,
 * but at most once a minute per issuer, so a stream of forged kids cannot turn this server into a load
 * generator against the partner.
 */
public interface IssuerKeys {
    /**
     * @param kid the assertion's key id; null asks for every published key
     */
    Lookup find(TrustedIssuer issuer, String kid);

    sealed interface Lookup {
        /** The keys that may have signed: the one with that kid, or all when no kid was given. */
        record Found(List<JWK> keys) implements Lookup {
            public Found {
                keys = List.copyOf(keys);
            }
        }

        /** The issuer's JWKS was read, and no key has that kid. */
        record Unknown() implements Lookup { }

        /** The JWKS could not be fetched or parsed, and no earlier copy is cached. */
        record Unavailable(String reason) implements Lookup { }
    }
}
