package dev.tessera.server.bootstrap;

import dev.tessera.server.application.keys.JwtSigner;
import dev.tessera.server.application.port.KeyRingSource;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.infrastructure.crypto.CryptoProviders;
import dev.tessera.server.infrastructure.keys.FileKeyRingSource;
import dev.tessera.server.infrastructure.keys.KeyDirectory;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/** Brings up the signing side: the crypto provider first (before any key object exists), then the key ring. */
final class KeyWiring {
    private static final Logger LOG = LoggerFactory.getLogger(KeyWiring.class);

    private KeyWiring() {
    }

    static CryptoProviders providers(KeysConfig keys) {
        return CryptoProviders.configure(keys.provider());
    }

    static FileKeyRingSource keyRing(KeysConfig keys, Clock clock) {
        if (keys.generate() && new KeyFileWriter(clock).ensureDevKey(keys.dir())) {
            // SPEC §1: generated keys are for development; production provisions them with `keys generate`.
            LOG.warn("generated a new RS256 signing key in {} (keys.generate: true); provision keys for production",
                    keys.dir().toAbsolutePath());
        }
        return FileKeyRingSource.load(new KeyDirectory(keys.dir()), clock)
                .startReloading(FileKeyRingSource.DEFAULT_CHECK_INTERVAL);
    }

    /** The key ring, refused (and closed) when a client's idTokenSigningAlg has no active key in it. */
    static FileKeyRingSource keyRingFor(KeysConfig keys, List<Client> clients, Clock clock) {
        FileKeyRingSource ring = keyRing(keys, clock);
        try {
            SigningKeyCheck.requireKeysFor(clients, ring.current(), keys.dir(), clock.instant());
            return ring;
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    static JwtSigner signer(KeyRingSource keys, CryptoProviders providers, Clock clock) {
        return new JwtSigner(keys, providers.provider(), clock);
    }
}
