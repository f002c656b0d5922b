package dev.tessera.server.http.support;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A response body serialized once, with a strong entity tag (RFC 9110 §8.8.3) taken from a SHA-256 of its bytes.
 * Because the tag depends only on the bytes, every instance serving the same document gives the same tag, so a
 * cache behind a load balancer can revalidate against any of them. Serving it copies no JSON and hashes nothing.
 */
public final class CachedBody {
    private final byte[] bytes;
    private final String contentType;
    private final String etag;

    private CachedBody(byte[] bytes, String contentType) {
        this.bytes = bytes;
        this.contentType = contentType;
        this.etag = '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(bytes)) + '"';
    }

    public static CachedBody of(String body, String contentType) {
        return new CachedBody(body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /** @param bytes kept as they are: the caller must not change them afterwards */
    public static CachedBody of(byte[] bytes, String contentType) {
        return new CachedBody(bytes, contentType);
    }

    /** The quoted strong entity tag, e.g. {@code "q1...Xw"}. */
    public String etag() {
        return etag;
    }

    /**
     * 304 without a body when {@code If-None-Match} names this body, else 200 with it (for HEAD, its length but not
     * its bytes). Both carry the ETag and Cache-Control, as a 304 must send the validators and caching headers a 200 would (RFC 9110 §15.4.5).
     * Compression is off: the body is small, compressing it per request would cost more than sending it, and a
     * gzip-encoded variant would need a tag of its own.
     */
    public void write(Context ctx, String cacheControl) {
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", cacheControl);
        ctx.disableCompression();
        if (matches(ifNoneMatch(ctx), etag)) {
            ctx.status(304);
            return;
        }
        ctx.status(200);
        ctx.contentType(contentType);
        ctx.res().setContentLength(bytes.length);
        if (ctx.method() == HandlerType.HEAD) {
            return; // RFC 9110 §9.3.2: the GET answer's header fields, no content
        }
        ctx.result(bytes);
    }

    /**
     * RFC 9110 §13.1.2: {@code If-None-Match} is {@code *} or a list of entity tags, compared weakly (a {@code W/}
     * prefix does not matter). A malformed value matches nothing, so the client simply gets the full answer.
     */
    static boolean matches(String header, String etag) {
        if (header == null) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (header.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || header.charAt(i) != '"') {
                return false;
            }
            int close = header.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (header.regionMatches(i, etag, 0, etag.length()) && close + 1 - i == etag.length()) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    // A request may repeat the header; its values form one list (RFC 9110 §5.3).
    private static String ifNoneMatch(Context ctx) {
        Enumeration<String> values = ctx.req().getHeaders("If-None-Match");
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        return String.join(",", Collections.list(values));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
