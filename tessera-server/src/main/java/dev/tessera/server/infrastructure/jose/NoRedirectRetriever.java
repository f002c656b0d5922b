package dev.tessera.server.infrastructure.jose;

import com.nimbusds.jose.util.DefaultResourceRetriever;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Nimbus's retriever with redirects refused: Nimbus fails on any status outside 2xx, so a 3xx is a failed
 * fetch. The configured URL is the trust anchor; a redirect could send the fetch anywhere, including to
 * addresses inside our own network.
 */
final class NoRedirectRetriever extends DefaultResourceRetriever {
    NoRedirectRetriever(int connectTimeoutMs, int readTimeoutMs, int sizeLimitBytes) {
        super(connectTimeoutMs, readTimeoutMs, sizeLimitBytes);
    }

    @Override
    protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
        HttpURLConnection connection = super.openHTTPConnection(url);
        connection.setInstanceFollowRedirects(false);
        return connection;
    }
}
