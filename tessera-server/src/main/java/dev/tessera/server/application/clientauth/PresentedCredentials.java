package dev.tessera.server.application.clientauth;

/**
 * What the request carried for client authentication: HTTP Basic (already form-decoded, RFC 6749
 * §2.3.1), the body's client_id / client_secret, and a client assertion (RFC 7521 §4.2:
 * client_assertion_type and client_assertion). Any field may be null.
 */
public record PresentedCredentials(String basicId, String basicSecret, String formClientId, String formClientSecret,
                                   String clientAssertionType, String clientAssertion) {
    public PresentedCredentials(String basicId, String basicSecret, String formClientId, String formClientSecret) {
        this(basicId, basicSecret, formClientId, formClientSecret, null, null);
    }

    public static PresentedCredentials none() {
        return new PresentedCredentials(null, null, null, null);
    }

    public boolean usedBasic() {
        return basicId != null;
    }

    public boolean usedAssertion() {
        return clientAssertionType != null || clientAssertion != null;
    }

    // Secrets and assertions stay out of logs and exception messages.
    @Override
    public String toString() {
        return "PresentedCredentials[basicId=" + basicId + ", formClientId=" + formClientId
                + ", assertion=" + (clientAssertion != null) + "]";
    }
}
