package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizationRequestValidator.Validation;
import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.RequestHandle;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The authorization request a page form carries in its {@code request} field (a {@link RequestHandle}), validated
 * again on every POST (and, on the GET that opens the page, the one in its query): the hidden field is the browser's to change, so it is trusted no more than the query of
 * /authorize. An invalid one gets the answer /authorize would give (an error page or a redirect with the error).
 */
final class CarriedRequests {
    static final String FIELD = "request";

    private final AuthorizeService authorize;
    private final AuthorizeResponder responder;

    CarriedRequests(AuthorizeService authorize, AuthorizeResponder responder) {
        this.authorize = authorize;
        this.responder = responder;
    }

    /** The valid request; empty when the error answer has been written. A missing field is an invalid request. */
    Optional<AuthorizationRequest> of(Context ctx, Map<String, List<String>> form) {
        String handle = Forms.exactlyOne(form, FIELD);
        Validation validation = authorize.validate(RequestHandle.decode(handle == null ? "" : handle));
        if (validation instanceof Validation.Invalid invalid) {
            responder.respond(ctx, invalid.outcome());
            return Optional.empty();
        }
        return Optional.of(((Validation.Valid) validation).request());
    }

    /**
     * GET of a page an authorization request opens (sign-in, sign-up): calls {@code show} with the valid request
     * in the query, or with null for an empty query when the request is {@code optional}. Otherwise writes the
     * answer itself: an error page titled {@code badLinkTitle} for a query that does not parse, and what
     * /authorize would answer for an invalid request.
     */
    void showFromQuery(Context ctx, Pages pages, String badLinkTitle, boolean optional,
                       Consumer<AuthorizationRequest> show) {
        Map<String, List<String>> parameters;
        try {
            parameters = Forms.query(ctx);
        } catch (OAuthException e) {
            pages.error(ctx, 400, badLinkTitle, "The link that brought you here is malformed.");
            return;
        }
        if (optional && parameters.isEmpty()) {
            show.accept(null);
            return;
        }
        Validation validation = authorize.validate(parameters);
        if (validation instanceof Validation.Invalid invalid) {
            responder.respond(ctx, invalid.outcome());
            return;
        }
        show.accept(((Validation.Valid) validation).request());
    }

    /** Whether the form carries a request at all (sign-up may be opened without one). */
    static boolean present(Map<String, List<String>> form) {
        String handle = Forms.exactlyOne(form, FIELD);
        return handle != null && !handle.isEmpty();
    }
}
