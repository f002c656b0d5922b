package dev.tessera.server.http.endpoint;

import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first two steps of every POST from one of Tessera's pages (sign-in, sign-up, consent, TOTP enrolment): the
 * url-encoded body read strictly, then its CSRF field checked against this browser. When either fails the person
 * gets an error page in the words of the form they used, and the endpoint does nothing else.
 */
final class PageForms {
    /** What the error page says when the body is malformed, and when the CSRF check fails. */
    record Refusals(String malformedTitle, String malformedText, String expiredTitle, String expiredText) {
    }

    private final CsrfTokens csrf;
    private final Pages pages;

    PageForms(CsrfTokens csrf, Pages pages) {
        this.csrf = csrf;
        this.pages = pages;
    }

    /** The form's fields; empty when the error page has been written. */
    Optional<Map<String, List<String>>> read(Context ctx, Refusals refusals) {
        Map<String, List<String>> form;
        try {
            form = Forms.body(ctx);
        } catch (OAuthException e) {
            pages.error(ctx, 400, refusals.malformedTitle(), refusals.malformedText());
            return Optional.empty();
        }
        if (!csrf.isValid(ctx, Forms.exactlyOne(form, CsrfTokens.FIELD))) {
            pages.error(ctx, 400, refusals.expiredTitle(), refusals.expiredText());
            return Optional.empty();
        }
        return Optional.of(form);
    }
}
