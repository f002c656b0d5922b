package dev.tessera.server.http.support;

import dev.tessera.server.domain.error.OAuthException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict application/x-www-form-urlencoded parsing for bodies and query strings. Repeats are kept as
 * lists so callers can reject duplicates; bad percent-encoding or invalid UTF-8 is invalid_request
 * rather than a silently mangled value.
 */
public final class FormBody {
    public static final int MAX_PARAMETERS = 100;

    private FormBody() {
    }

    public static Map<String, List<String>> parse(String encoded) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return parameters;
        }
        int count = 0;
        for (String pair : encoded.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                throw OAuthException.invalidRequest("the request has too many parameters");
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((name, values) -> Collections.unmodifiableList(values));
        return Collections.unmodifiableMap(parameters);
    }

    /** A raw body: its bytes must be UTF-8 (RFC 6749 Appendix B), or it is invalid_request, not U+FFFD stand-ins. */
    public static Map<String, List<String>> parse(byte[] body) {
        return parse(strictUtf8(ByteBuffer.wrap(body)));
    }

    /** Percent-decoding with '+' as space (HTML form encoding), strictly UTF-8. */
    public static String decode(String component) {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return requireWellFormed(component);
        }
        // Sized for the worst case: a raw char below U+0800 is up to 2 bytes, other BMP chars 3, and a
        // surrogate pair (two chars) 4, so never more than 3 bytes per char.
        ByteBuffer bytes = ByteBuffer.allocate(component.length() * 3);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '+') {
                bytes.put((byte) ' ');
            } else if (c == '%') {
                if (i + 2 >= component.length()) {
                    throw OAuthException.invalidRequest("the request has a malformed percent-encoding");
                }
                int high = Character.digit(component.charAt(i + 1), 16);
                int low = Character.digit(component.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw OAuthException.invalidRequest("the request has a malformed percent-encoding");
                }
                bytes.put((byte) ((high << 4) + low));
                i += 2;
            } else if (c > 0x7F) {
                // Raw non-ASCII (a query string, or a body already decoded): re-encode the code point as UTF-8.
                int end = Character.isHighSurrogate(c) && i + 1 < component.length()
                        && Character.isLowSurrogate(component.charAt(i + 1)) ? i + 2 : i + 1;
                bytes.put(requireWellFormed(component.substring(i, end)).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        return strictUtf8(bytes);
    }

    // A lone surrogate has no UTF-8 form; getBytes would quietly turn it into '?'.
    private static String requireWellFormed(String chars) {
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < chars.length() && Character.isLowSurrogate(chars.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw OAuthException.invalidRequest("the request is not valid UTF-8");
            }
        }
        return chars;
    }

    private static String strictUtf8(ByteBuffer bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw OAuthException.invalidRequest("the request is not valid UTF-8");
        }
    }
}
