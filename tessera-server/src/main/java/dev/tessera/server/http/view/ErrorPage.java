package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * A dead end the user must understand: what happened, what they can do, and a request id to quote
 * to support. Text is written by Tessera, never copied from request parameters, since those are
 * attacker-controlled (a crafted link could otherwise put any sentence on our page).
 */
public record ErrorPage(String productName, String title, String message, String advice, String requestId) {

    public ErrorPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(advice, "advice");
    }

    public static ErrorPage unknownClient(String productName, String requestId) {
        return new ErrorPage(productName, "This app isn't recognised",
                "The app that sent you here isn't registered with " + productName + ", so we can't sign you in to it.",
                "Go back to the app and try again. If it keeps happening, contact the app's support team.",
                requestId);
    }

    public static ErrorPage invalidRedirectUri(String productName, String requestId) {
        return new ErrorPage(productName, "We can't send you back to the app",
                "The app asked us to return you to an address it hasn't registered, so we stopped here to keep your account safe.",
                "Go back to the app and try again. If it keeps happening, contact the app's support team.",
                requestId);
    }

    public static ErrorPage invalidRequest(String productName, String requestId) {
        return new ErrorPage(productName, "Something is wrong with this sign-in link",
                "The sign-in request is incomplete or has expired.",
                "Go back to the app and start signing in again.",
                requestId);
    }

    public static ErrorPage sessionExpired(String productName, String requestId) {
        return new ErrorPage(productName, "This page has expired",
                "For your security, sign-in pages only stay valid for a short time.",
                "Go back to the app and start signing in again.",
                requestId);
    }

    public static ErrorPage serverError(String productName, String requestId) {
        return new ErrorPage(productName, "Something went wrong on our side",
                "We couldn't complete your request. Nothing was changed.",
                "Please try again in a few minutes. If it keeps happening, contact support and quote the request ID below.",
                requestId);
    }

    /** The store is unreachable for a moment (a database restart): the same step will work again shortly. */
    public static ErrorPage temporarilyUnavailable(String productName, String requestId) {
        return new ErrorPage(productName, "Sign-in is briefly unavailable",
                "We can't reach our records right now, so we couldn't finish this step. Nothing was changed.",
                "Wait a few seconds, then reload this page. If it keeps happening, contact support and quote the request ID below.",
                requestId);
    }

    public boolean hasRequestId() {
        return requestId != null && !requestId.isEmpty();
    }
}
