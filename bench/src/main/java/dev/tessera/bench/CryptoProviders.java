package dev.tessera.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.Signature;

/**
 * Chooses the JCA provider that RS256 signing uses in this JVM. A JMH fork is a fresh JVM, so the
 * choice is made once per fork and before any key object exists: ACCP signs 4096-bit keys several
 * times faster only with key objects it created itself.
 */
final class CryptoProviders {
    static final String JDK = "jdk";
    static final String ACCP = "accp";

    private CryptoProviders() {
    }

    /** Installs ACCP first in line for {@code accp}; checks that nothing did so for {@code jdk}. */
    static void use(String choice) {
        switch (choice) {
            case JDK -> {
                if (Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) != null) {
                    // only happens with -f 0, where all variants share one JVM
                    throw new IllegalStateException("ACCP is already installed in this JVM; run the JDK variant in its own fork");
                }
            }
            case ACCP -> {
                AmazonCorrettoCryptoProvider.install();
                // install() never throws: a provider whose native library failed to load silently
                // serves nothing, and the "ACCP" numbers would really be the JDK's
                Throwable loadingError = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
                if (loadingError != null) {
                    throw new IllegalStateException("ACCP did not load", loadingError);
                }
                AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            }
            default -> throw new IllegalArgumentException("provider must be " + JDK + " or " + ACCP + ", not " + choice);
        }
    }

    static boolean isAccp(String providerName) {
        return AmazonCorrettoCryptoProvider.PROVIDER_NAME.equals(providerName);
    }

    /** The provider that {@code SHA256withRSA} resolves to right now, as Nimbus's RSASSASigner will get it. */
    static String rs256Provider() {
        try {
            return Signature.getInstance("SHA256withRSA").getProvider().getName();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
