package dev.tessera.server.application.clientauth;

/**
 * What the request carried for client authentication: HTTP Basic (already form-decoded, RFC 6749
 * §2.3.1) and/or the body's client_id / client_secret. Any field may be null.
 */
public record PresentedCredentials(String basicId, String basicSecret, String formClientId, String formClientSecret) {
    public static PresentedCredentials none() {
        return new PresentedCredentials(null, null, null, null);
    }

    public boolean usedBasic() {
        return basicId != null;
    }

    @Override
    public String toString() {
        return "PresentedCredentials[basicId=" + basicId + ", formClientId=" + formClientId + "]";
    }
}
