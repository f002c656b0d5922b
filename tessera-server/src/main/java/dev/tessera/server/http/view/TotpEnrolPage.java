package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * Turning on two-step sign-in: the QR code and the key to type, and a field for the first code, which confirms
 * the phone holds the secret before it is saved. {@code done} shows the outcome instead of the form; then only
 * {@code message} is used. {@code errorMessage} may be null.
 */
public record TotpEnrolPage(
        String productName,
        String username,
        String formAction,
        String csrfToken,
        String sealedOffer,
        String secretGroups,
        String keyUri,
        QrSvg qr,
        String errorMessage,
        boolean done,
        String message) {

    public TotpEnrolPage {
        Objects.requireNonNull(productName, "productName");
        if (!done) {
            Objects.requireNonNull(csrfToken, "csrfToken");
            Objects.requireNonNull(sealedOffer, "sealedOffer");
            Objects.requireNonNull(qr, "qr");
            formAction = PageLinks.requireFormAction(formAction, "formAction");
            // Only the authenticator's own scheme may be a link here; jte escapes markup, not meaning.
            if (keyUri == null || !keyUri.startsWith("otpauth://totp/")) {
                throw new IllegalArgumentException("keyUri must be an otpauth://totp/ URI");
            }
        }
    }

    public static TotpEnrolPage offer(String productName, String username, String csrfToken, String sealedOffer,
                                      String secret, String keyUri, String errorMessage) {
        return new TotpEnrolPage(productName, username, "/account/totp", csrfToken, sealedOffer, grouped(secret),
                keyUri, QrSvg.of(keyUri), errorMessage, false, null);
    }

    public static TotpEnrolPage done(String productName, String username, String message) {
        return new TotpEnrolPage(productName, username, null, null, null, null, null, null, null, true, message);
    }

    public boolean hasError() {
        return errorMessage != null && !errorMessage.isBlank();
    }

    /** Groups of four, as authenticator apps show keys; they accept the spaces when typed. */
    static String grouped(String secret) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < secret.length(); i += 4) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(secret, i, Math.min(i + 4, secret.length()));
        }
        return out.toString();
    }
}
