package dev.tessera.server.infrastructure.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Provider;
import java.security.Security;
import java.util.Locale;

/**
 * Chooses the JCA provider that signs tokens ({@code keys.provider}). {@code auto} installs the Amazon Corretto
 * Crypto Provider (ACCP) at the highest priority where its native library loads, {@code jdk} leaves the JDK
 * providers alone.
 *
 * <p>Hazards: call {@link #configure} before any key object exists (keys created by another provider must be
 * converted, which loses much of the gain), and never trust ACCP's {@code install()} alone: it does not throw
 * when the native library fails to load, it just registers a provider without services.
 */
public final class CryptoProviders {
    private static final Logger log = LoggerFactory.getLogger(CryptoProviders.class);

    public enum Mode {
        AUTO, JDK;

        /** Parses the {@code keys.provider} value. */
        public static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "jdk" -> JDK;
                default -> throw new IllegalArgumentException("keys.provider must be auto or jdk, not '" + value + "'");
            };
        }
    }

    private final Mode mode;
    private final Provider provider;
    private final String description;

    private CryptoProviders(Mode mode, Provider provider, String description) {
        this.mode = mode;
        this.provider = provider;
        this.description = description;
    }

    /** Applies {@code mode} to this JVM and logs which provider signs. Safe to call more than once. */
    public static CryptoProviders configure(Mode mode) {
        CryptoProviders chosen = mode == Mode.JDK
                ? new CryptoProviders(mode, null, "JDK providers (keys.provider: jdk)")
                : installCorretto();
        if (chosen.usesCorretto()) {
            log.info("token signatures use {}", chosen.description);
        } else if (mode == Mode.AUTO) {
            log.warn("token signatures use the JDK providers: {}", chosen.description);
        } else {
            log.info("token signatures use {}", chosen.description);
        }
        return chosen;
    }

    public static CryptoProviders configure(String mode) {
        return configure(Mode.parse(mode));
    }

    private static CryptoProviders installCorretto() {
        Throwable loadingError;
        try {
            loadingError = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        } catch (LinkageError e) { // the jar is missing, or built for another platform
            return new CryptoProviders(Mode.AUTO, null, "Amazon Corretto Crypto Provider is not available (" + e + ")");
        }
        if (loadingError != null) {
            return new CryptoProviders(Mode.AUTO, null,
                    "Amazon Corretto Crypto Provider did not load its native library (" + loadingError + ")");
        }
        AmazonCorrettoCryptoProvider.install();
        try {
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
        } catch (RuntimeException e) {
            Security.removeProvider(AmazonCorrettoCryptoProvider.INSTANCE.getName());
            return new CryptoProviders(Mode.AUTO, null, "Amazon Corretto Crypto Provider failed its self tests (" + e + ")");
        }
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        return new CryptoProviders(Mode.AUTO, accp,
                "Amazon Corretto Crypto Provider " + accp.getVersionStr() + " (" + accp.getAwsLcVersionStr() + ")");
    }

    public Mode mode() {
        return mode;
    }

    /** The provider for {@code JwtSigner}: ACCP when it loaded, null for the JDK's provider order. */
    public Provider provider() {
        return provider;
    }

    public boolean usesCorretto() {
        return provider != null;
    }

    /** One line for logs and the startup banner: which provider signs, and why. */
    public String description() {
        return description;
    }
}
