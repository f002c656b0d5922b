package dev.tessera.server.application.maintenance;

import dev.tessera.server.application.port.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * Deletes expired codes, tokens, sessions, used jtis, rate-limit windows and spent TOTP steps. Each store decides what is
 * expired, and keeps rows that still matter (a used code until its expiry, so a replay is recognised).
 */
public final class ExpiredRowPurger implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredRowPurger.class);

    private final Stores stores;
    private final Clock clock;

    public ExpiredRowPurger(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /** @return the number of rows removed */
    public int purge() {
        Instant now = clock.instant();
        return stores.codes().purgeExpired(now)
                + stores.refreshTokens().purgeExpired(now)
                + stores.accessTokens().purgeExpired(now)
                + stores.sessions().purgeExpired(now)
                + stores.usedJtis().purgeExpired(now)
                + stores.rateLimits().purgeExpired(now)
                + stores.totpSteps().purgeExpired(now);
    }

    @Override
    public void run() {
        try {
            int removed = purge();
            if (removed > 0) {
                LOG.info("purged {} expired rows", removed);
            }
        } catch (RuntimeException e) {
            // A failed purge only delays cleanup; the scheduler must keep running.
            LOG.warn("purging expired rows failed; will retry", e);
        }
    }
}
