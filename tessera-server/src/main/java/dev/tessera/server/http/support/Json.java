package dev.tessera.server.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Writes JSON responses with one shared, thread-safe mapper. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static void write(Context ctx, int status, Object body) {
        ctx.status(status);
        ctx.contentType("application/json;charset=UTF-8");
        ctx.result(serialize(body));
    }

    public static String serialize(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response could not be serialised", e);
        }
    }
}
