package dev.tessera.server.http.support;

import dev.tessera.server.domain.error.OAuthException;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/** Reads request parameters from the query string or an urlencoded body, with {@link FormBody}'s strictness. */
public final class Forms {
    private Forms() {
    }

    /** The urlencoded body of a POST; any other content type is invalid_request (RFC 6749 §3.2). */
    public static Map<String, List<String>> body(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded")) {
            throw OAuthException.invalidRequest("the request body must be application/x-www-form-urlencoded");
        }
        return FormBody.parse(ctx.body());
    }

    /** invalid_request for any parameter sent twice (RFC 6749 §3.1, §3.2). */
    public static Map<String, List<String>> rejectingRepeats(Map<String, List<String>> form) {
        for (Map.Entry<String, List<String>> field : form.entrySet()) {
            if (field.getValue().size() > 1) {
                String name = field.getKey().replaceAll("[^A-Za-z0-9_.:-]", "?");
                throw OAuthException.invalidRequest("the " + (name.length() > 40 ? name.substring(0, 40) : name)
                        + " parameter was sent more than once");
            }
        }
        return form;
    }

    public static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    public static Map<String, List<String>> query(Context ctx) {
        return FormBody.parse(ctx.queryString());
    }

    /** Query for GET, body for POST: the two ways OIDC Core §3.1.2.1 allows. */
    public static Map<String, List<String>> queryOrBody(Context ctx) {
        return "POST".equals(ctx.method().name()) ? body(ctx) : query(ctx);
    }
}
