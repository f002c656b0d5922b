package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizationRequestValidator.Validation;
import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.RequestHandle;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization request a page form carries in its {@code request} field (a {@link RequestHandle}), validated
 * again on every POST: the hidden field is the browser's to change, so it is trusted no more than the query of
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

    /** Whether the form carries a request at all (sign-up may be opened without one). */
    static boolean present(Map<String, List<String>> form) {
        String handle = Forms.exactlyOne(form, FIELD);
        return handle != null && !handle.isEmpty();
    }
}
