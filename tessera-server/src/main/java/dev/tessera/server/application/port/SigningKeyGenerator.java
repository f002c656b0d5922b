package dev.tessera.server.application.port;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.SigningKey;

import java.time.Instant;

/** Makes new key pairs. Slow (RSA-4096 takes seconds): never call it from a request handler (SPEC §1). */
public interface SigningKeyGenerator {
    SigningKey generate(JWSAlgorithm algorithm, Instant activatesAt);
}
