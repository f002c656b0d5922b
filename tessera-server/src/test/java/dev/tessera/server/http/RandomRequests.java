package dev.tessera.server.http;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.tessera.server.testsupport.TesseraTestServer.OTHER;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.SPA_REDIRECT;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;

/**
 * Builds hostile HTTP requests from one {@link Random}: plausible parameters for each route, then damaged
 * (duplicated, truncated, over-long, mis-encoded, raw non-ASCII or invalid bytes), with wrong content types,
 * garbage Authorization headers and cookies. The same seed gives the same requests.
 */
final class RandomRequests {
    /** One request as bytes; {@link #describe()} prints it for a failure message. */
    record Request(String method, byte[] target, List<String[]> headers, byte[] body, boolean oversize) {
        byte[] head(int port) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes(target);
            head.writeBytes((" HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\nContent-Length: "
                    + body.length).getBytes(StandardCharsets.ISO_8859_1));
            for (String[] header : headers) {
                head.writeBytes(("\r\n" + header[0] + ": ").getBytes(StandardCharsets.ISO_8859_1));
                head.writeBytes(bytesOf(header[1]));
            }
            return head.toByteArray();
        }

        String describe() {
            StringBuilder text = new StringBuilder(method).append(' ').append(printable(target, 200));
            headers.forEach(h -> text.append("\n  ").append(h[0]).append(": ")
                    .append(printable(bytesOf(h[1]), 120)));
            return text.append("\n  body (").append(body.length).append(" bytes): ").append(printable(body, 300)).toString();
        }
    }

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final List<String> GET_PATHS = List.of("/.well-known/openid-configuration",
            "/.well-known/oauth-authorization-server", "/.well-known/jwks.json", "/authorize", "/login", "/consent",
            "/userinfo", "/logout", "/healthz", "/readyz", "/metrics", "/static/tessera.css", "/token", "/nowhere");
    private static final List<String> POST_PATHS = List.of("/token", "/introspect", "/revoke", "/authorize", "/login",
            "/consent", "/logout", "/userinfo", "/register", "/.well-known/jwks.json");
    private static final List<String> OTHER_METHODS = List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO");
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "/token", List.of("grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope", "resource",
                    "audience", "subject_token", "subject_token_type", "requested_token_type", "actor_token", "assertion",
                    "client_id", "client_secret", "client_assertion", "client_assertion_type"),
            "/authorize", List.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                    "code_challenge", "code_challenge_method", "prompt", "max_age", "login_hint", "acr_values", "claims",
                    "response_mode", "id_token_hint", "request", "request_uri", "resource"),
            "/login", List.of("csrf", "request", "username", "password", "otp"),
            "/consent", List.of("csrf", "request", "decision"),
            "/userinfo", List.of("access_token"),
            "/introspect", List.of("token", "token_type_hint", "client_id", "client_secret"),
            "/revoke", List.of("token", "token_type_hint", "client_id", "client_secret"),
            "/logout", List.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state"));
    private static final List<String> VALUES = List.of("authorization_code", "refresh_token", "client_credentials",
            "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer", "password",
            "code", "token", "id_token", WEB, "spa", "other", SERVICE, "nobody", WEB_REDIRECT, SPA_REDIRECT,
            "https://evil.example/cb", "javascript:alert(1)", "openid", "openid profile email offline_access",
            "api.read api.write", "S256", "plain", "none", "login", "consent", "0", "-1", "99999999999999999999",
            "allow", "deny", "alice", "bob", "access_token", "refresh_token", "form_post", "query", "fragment",
            "{\"userinfo\":{\"email\":null}}", "{", "[]", "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[1]}}}",
            "urn:ietf:params:oauth:token-type:access_token", "urn:ietf:params:oauth:token-type:id-jag",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "a.b.c", "tsr_rt_x", "",
            "response_type=code&client_id=web&redirect_uri=" + WEB_REDIRECT + "&scope=openid",
            "€+", "é", "\u202E", "\u0000", "𝄞");
    private static final List<String> BAD_ENCODINGS = List.of("%", "%G", "%zz", "%4", "%C3%28", "%ED%A0%80",
            "%F8%88%80%80%80", "%C0%AF", "%00", "%FF", "%E2%82", "+%", "%%");
    private static final List<String> RAW_TEXT = List.of("€", "€+", "é", "𝄞", "日本", "\u202E", "\u0000", "\u00a0+",
            "&", "=", "&&", "==", ";", "+");
    private static final List<byte[]> RAW_BYTES = List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3},
            new byte[] {(byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xE2, (byte) 0x82, '+'}, new byte[] {(byte) 0xF0, (byte) 0x9F});
    private static final List<String> CONTENT_TYPES = List.of(FORM, FORM + "; charset=UTF-8",
            FORM + "; charset=ISO-8859-1", "APPLICATION/X-WWW-FORM-URLENCODED", "application/json", "text/plain",
            "multipart/form-data; boundary=xyz", "", ";;;", FORM + "\u00e9", "application/x-www-form-urlencodedx");

    private final Random random;

    RandomRequests(Random random) {
        this.random = random;
    }

    Request next() {
        int roll = random.nextInt(100);
        String method = roll < 35 ? "GET" : roll < 90 ? "POST" : pick(OTHER_METHODS);
        String path = pick(method.equals("POST") ? POST_PATHS : GET_PATHS);
        List<String[]> headers = new ArrayList<>();
        byte[] target = path.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[0];
        if (!method.equals("POST") || random.nextInt(5) == 0) {
            target = concat(target, "?".getBytes(StandardCharsets.US_ASCII), withoutLineBreaks(damaged(form(path))));
        }
        if (!method.equals("GET") && !method.equals("HEAD") || random.nextInt(10) == 0) {
            body = damaged(form(path));
            if (random.nextInt(10) < 8) {
                headers.add(new String[] {"Content-Type", pick(CONTENT_TYPES)});
            }
        }
        if (random.nextInt(10) < 7) {
            headers.add(new String[] {"Authorization", authorization()});
            if (random.nextInt(20) == 0) {
                headers.add(new String[] {"Authorization", authorization()});
            }
        }
        if (random.nextInt(5) == 0) {
            headers.add(new String[] {"Cookie", cookie()});
        }
        if (random.nextInt(4) == 0) {
            headers.add(new String[] {"Accept", random.nextBoolean() ? "text/html" : "application/json"});
        }
        return new Request(method, target, headers, body, body.length > 64 * 1024);
    }

    /** Plausible parameters for the path, form-encoded. */
    private byte[] form(String path) {
        List<String> names = PARAMETERS.getOrDefault(path, List.of("a", "b", "x_" + random.nextInt(10)));
        StringBuilder form = new StringBuilder();
        int count = 1 + random.nextInt(Math.min(6, names.size()) + 1);
        for (int i = 0; i < count; i++) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(pick(names), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value(), StandardCharsets.UTF_8));
        }
        return form.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private String value() {
        return switch (random.nextInt(6)) {
            case 0 -> randomText(1 + random.nextInt(64));
            case 1 -> Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
            default -> pick(VALUES);
        };
    }

    /** One to three kinds of damage; sometimes none, so well-formed requests are in the mix too. */
    private byte[] damaged(byte[] form) {
        byte[] result = form;
        int damages = random.nextInt(4);
        for (int i = 0; i < damages; i++) {
            result = switch (random.nextInt(11)) {
                case 0 -> duplicateOnePair(result);
                case 1 -> result.length == 0 ? result : java.util.Arrays.copyOf(result, random.nextInt(result.length));
                case 2 -> concat(result, ("&x=" + "a".repeat(pick(List.of(1024, 8 * 1024, 60 * 1024, 70 * 1024))))
                        .getBytes(StandardCharsets.US_ASCII));
                case 3 -> concat(result, manyParameters());
                case 4 -> insert(result, pick(BAD_ENCODINGS).getBytes(StandardCharsets.US_ASCII));
                case 5 -> insert(result, pick(RAW_TEXT).getBytes(StandardCharsets.UTF_8));
                case 6 -> insert(result, pick(RAW_BYTES));
                case 7 -> randomBytes(random.nextInt(200));
                case 8 -> new byte[0];
                case 9 -> insert(result, ("=" + randomText(5) + "&").getBytes(StandardCharsets.UTF_8));
                default -> concat(result, "&".getBytes(StandardCharsets.US_ASCII), result); // every pair twice
            };
        }
        return result;
    }

    private String authorization() {
        return switch (random.nextInt(14)) {
            case 0 -> basic(WEB, WEB_SECRET);
            case 1 -> basic(SERVICE, SERVICE_SECRET);
            case 2 -> random.nextBoolean() ? basic("nobody", "x") : basic(OTHER, randomText(12));
            case 3 -> "Basic " + Base64.getEncoder().encodeToString(randomBytes(random.nextInt(48)));
            case 4 -> "Basic " + latin1(randomBytes(random.nextInt(40)));
            case 5 -> "Basic";
            case 6 -> "Bearer " + latin1(randomBytes(random.nextInt(60)));
            case 7 -> "Bearer " + pick(VALUES);
            case 8 -> "Digest username=\"web\"";
            case 9 -> "Basic " + "QUFB".repeat(1000 + random.nextInt(1000));
            case 10 -> basic(WEB, WEB_SECRET).substring(0, 6 + random.nextInt(20));
            case 11 -> "Basic " + Base64.getEncoder().encodeToString("%ZZ:%C3%28".getBytes(StandardCharsets.US_ASCII));
            case 12 -> "Basic " + Base64.getEncoder().encodeToString(":".getBytes(StandardCharsets.US_ASCII));
            default -> "basic " + WEB + ":" + WEB_SECRET;
        };
    }

    private String cookie() {
        return switch (random.nextInt(4)) {
            case 0 -> "tessera_session=" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
            case 1 -> "tessera_csrf=" + randomText(43);
            case 2 -> "tessera_session=" + latin1(randomBytes(30)) + "; tessera_csrf=;;";
            default -> "tessera_session=a; tessera_session=b; tessera_csrf=" + "x".repeat(4000);
        };
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] duplicateOnePair(byte[] form) {
        String text = new String(form, StandardCharsets.ISO_8859_1);
        String[] pairs = text.split("&", -1); // never empty, even for "&"
        return concat(form, ("&" + pairs[random.nextInt(pairs.length)]).getBytes(StandardCharsets.ISO_8859_1));
    }

    private byte[] manyParameters() {
        StringBuilder many = new StringBuilder();
        for (int i = 0, n = 90 + random.nextInt(150); i < n; i++) {
            many.append("&p").append(i).append('=').append(i);
        }
        return many.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] insert(byte[] into, byte[] what) {
        int at = into.length == 0 ? 0 : random.nextInt(into.length + 1);
        return concat(java.util.Arrays.copyOfRange(into, 0, at), what, java.util.Arrays.copyOfRange(into, at, into.length));
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 0xA0 + random.nextInt(0x700);
                case 2 -> 0x1F600 + random.nextInt(0x50);
                default -> 'a' + random.nextInt(26);
            });
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    // Header values and the request target are sent as raw bytes, but never CR or LF: HTTP framing is
    // Jetty's parser's business, and a broken frame would only test that.
    private static String latin1(byte[] bytes) {
        return new String(withoutLineBreaks(bytes), StandardCharsets.ISO_8859_1);
    }

    private static byte[] withoutLineBreaks(byte[] bytes) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == '\r' || copy[i] == '\n' || copy[i] == ' ' || copy[i] == '\t') {
                copy[i] = '_';
            }
        }
        return copy;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    // Latin-1 strings stand for raw bytes; anything wider is sent as UTF-8.
    private static byte[] bytesOf(String value) {
        boolean latin1 = value.chars().allMatch(c -> c <= 0xFF);
        return value.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static String printable(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02X", b));
        }
        return bytes.length > max ? text + "..." : text.toString();
    }
}
