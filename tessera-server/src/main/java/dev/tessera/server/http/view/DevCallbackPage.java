package dev.tessera.server.http.view;

import java.util.List;
import java.util.Objects;

/**
 * The demo client's redirect target under {@code serve --dev}, in one of three stages: a code arrived (with a
 * button that redeems it and the equivalent curl command), the tokens it was redeemed for (decoded, each with
 * the curl command that uses it), or a failure in words. Everything shown came to this browser anyway; the page
 * exists only on a loopback development server.
 */
public record DevCallbackPage(String productName, Stage stage, String title, String code, String state,
                              String issuer, String csrfToken, String errorCode, String errorDescription,
                              String advice, List<IssuedToken> tokens, String scope, List<Command> commands) {

    public enum Stage { RECEIVED, REDEEMED, FAILED }

    /**
     * One token of the response; {@code decoded} is null for one never meant to be read (refresh token), {@code use}
     * (the curl command that uses it) may be null.
     */
    public record IssuedToken(String name, String purpose, String value, DecodedJwt decoded, Command use) {
        public boolean decodable() {
            return decoded != null && decoded.isJwt();
        }
    }

    /** A shell command with a line that says what it does. */
    public record Command(String caption, String text) { }

    public DevCallbackPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(title, "title");
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        commands = commands == null ? List.of() : List.copyOf(commands);
    }

    /** A code arrived; {@code redeem} is the curl command that does what the button does. */
    public static DevCallbackPage received(String productName, String code, String state, String issuer,
                                           String csrfToken, Command redeem) {
        return new DevCallbackPage(productName, Stage.RECEIVED, "The demo app received a code", code, state, issuer,
                Objects.requireNonNull(csrfToken, "csrfToken"), null, null, null, List.of(), null, List.of(redeem));
    }

    /** @param request the token request the button made, as a curl command */
    public static DevCallbackPage redeemed(String productName, List<IssuedToken> tokens, String scope,
                                           Command request) {
        return new DevCallbackPage(productName, Stage.REDEEMED, "Tessera issued these tokens", null, null, null, null,
                null, null, null, tokens, scope, List.of(request));
    }

    /** @param errorCode the OAuth error code, e.g. invalid_grant, or null; {@code errorDescription} may be null */
    public static DevCallbackPage failed(String productName, String title, String errorCode, String errorDescription,
                                         String advice) {
        return new DevCallbackPage(productName, Stage.FAILED, title, null, null, null, null, errorCode,
                errorDescription, Objects.requireNonNull(advice, "advice"), List.of(), null, List.of());
    }

    public boolean received() {
        return stage == Stage.RECEIVED;
    }

    public boolean redeemed() {
        return stage == Stage.REDEEMED;
    }

    public boolean failed() {
        return stage == Stage.FAILED;
    }

    /** Whether a failure has an error code or description to show; without one the title says it all. */
    public boolean hasErrorDetail() {
        return errorCode != null || errorDescription != null;
    }
}
