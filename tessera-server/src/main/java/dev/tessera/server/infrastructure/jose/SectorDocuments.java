package dev.tessera.server.infrastructure.jose;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.Resource;

import javax.net.ssl.SSLException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sector identifier documents (OIDC Core §8.1, OIDC Dynamic Client Registration §5): a JSON array of
 * redirect URIs that the owner of a pairwise client's sector publishes over https. Read when a client is
 * provisioned (startup, {@code clients add}), never during a request. Redirects are not followed, and short
 * timeouts and a size cap bound what a slow or hostile host can do to a starting server.
 */
public final class SectorDocuments {
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 3_000;
    private static final int SIZE_LIMIT_BYTES = 64 * 1024;
    private static final Pattern JDK_STATUS = Pattern.compile("Server returned HTTP response code: (\\d{3})");
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    private final boolean loopbackHttp;
    private final DefaultResourceRetriever retriever =
            new NoRedirectRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT_BYTES);

    private SectorDocuments(boolean loopbackHttp) {
        this.loopbackHttp = loopbackHttp;
    }

    /** What the server uses: https only. */
    public static SectorDocuments httpsOnly() {
        return new SectorDocuments(false);
    }

    /**
     * Also plain http to a loopback address literal, so tests can serve a document without a certificate. Only
     * code can ask for this; no configuration reaches it.
     */
    public static SectorDocuments allowingLoopbackHttpForTests() {
        return new SectorDocuments(true);
    }

    /** A document that cannot be used; the message says why, without repeating the URL. */
    public static final class SectorDocumentException extends Exception {
        private static final long serialVersionUID = 1L;

        SectorDocumentException(String message) {
            super(message, null, false, false);
        }
    }

    /** The redirect URIs the document at {@code uri} lists. */
    public List<String> redirectUris(URI uri) throws SectorDocumentException {
        if (!allowedScheme(uri)) {
            throw new SectorDocumentException("must be an https URL");
        }
        Resource resource;
        try {
            resource = retriever.retrieveResource(uri.toURL());
        } catch (IOException | IllegalArgumentException e) {
            throw new SectorDocumentException("could not be fetched: " + describe(e));
        }
        List<Object> values;
        try {
            values = JSONArrayUtils.parse(resource.getContent());
        } catch (ParseException e) {
            throw new SectorDocumentException("is not a JSON array of redirect URIs");
        }
        List<String> uris = new ArrayList<>(values.size());
        for (Object value : values) {
            if (!(value instanceof String text)) {
                throw new SectorDocumentException("must be a JSON array of redirect URIs (strings only)");
            }
            uris.add(text);
        }
        return uris;
    }

    private boolean allowedScheme(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return true;
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        return loopbackHttp && scheme.equals("http") && (LOOPBACK_IPV4.matcher(host).matches() || host.equals("[::1]"));
    }

    // The exception's own message may carry the URL or internals; say what happened in words instead.
    private static String describe(Exception e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed";
        }
        if (e instanceof FileNotFoundException) {
            return "not found (HTTP 404)"; // HttpURLConnection's way of saying 404 or 410
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher status = JDK_STATUS.matcher(message);
        if (status.lookingAt()) {
            return "HTTP " + status.group(1);
        }
        // Nimbus: "HTTP 302: Found" for a status it refuses (redirects), or its size limit.
        return message.startsWith("HTTP ") || message.startsWith("Exceeded") ? message : e.getClass().getSimpleName();
    }
}
