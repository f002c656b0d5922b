package dev.tessera.server.infrastructure.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON text for the nested parts of rows (string lists, claim maps, policies). Unknown properties are
 * ignored so a row written by a newer release still reads.
 */
final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private JsonColumns() {
    }

    static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be stored as JSON: " + value.getClass().getSimpleName(), e);
        }
    }

    /** Sets have no order; sorting makes the stored text stable. */
    static String writeSorted(Collection<String> values) {
        return write(values.stream().sorted().toList());
    }

    static List<String> strings(String json) throws SQLException {
        return json == null ? List.of() : read(json, STRINGS);
    }

    static Map<String, Object> object(String json) throws SQLException {
        return json == null ? Map.of() : read(json, OBJECT);
    }

    /** A JSON object (as a map) or array (as a list); an empty map for SQL NULL. */
    static Object objectOrArray(String json) throws SQLException {
        return json == null ? Map.of() : read(json, Object.class);
    }

    static <T> T read(String json, Class<T> type) throws SQLException {
        try {
            return json == null ? null : MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON does not match " + type.getSimpleName(), e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) throws SQLException {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON has an unexpected shape", e);
        }
    }
}
