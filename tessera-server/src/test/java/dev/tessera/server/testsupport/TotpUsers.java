package dev.tessera.server.testsupport;

import dev.tessera.server.application.mfa.Base32;
import dev.tessera.server.application.mfa.Totp;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A user with a TOTP secret in the configuration, and the codes their authenticator app would show. */
public final class TotpUsers {
    public static final String TINA = "tina";
    public static final String TINA_PASSWORD = "tina's password with a code";
    /** 160 bits, as Tessera makes them. */
    public static final String TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private TotpUsers() {
    }

    /** The configuration plus Tina. */
    public static TesseraConfig withTina(TesseraConfig config) {
        List<UserConfig> users = new ArrayList<>(config.users());
        users.add(UserConfig.builder(TINA).password(TINA_PASSWORD).totpSecret(TINA_SECRET)
                .claims(java.util.Map.of("name", "Tina Example")).build());
        return config.withUsers(users);
    }

    /** The code for the step {@code at} falls in. */
    public static String code(String base32Secret, Instant at) {
        return Totp.code(Base32.decode(base32Secret), Totp.stepAt(at));
    }

    public static String tinaCode(TesseraTestServer server) {
        return code(TINA_SECRET, server.clock().instant());
    }

    /** A 6-digit code that is not valid for any step near {@code at}. */
    public static String wrongCode(String base32Secret, Instant at) {
        byte[] secret = Base32.decode(base32Secret);
        long step = Totp.stepAt(at);
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", candidate);
            if (!code.equals(Totp.code(secret, step - 1)) && !code.equals(Totp.code(secret, step))
                    && !code.equals(Totp.code(secret, step + 1))) {
                return code;
            }
        }
    }
}
