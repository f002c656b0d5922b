package dev.tessera.server.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of the redirect: a JDK HTTP server on 127.0.0.1 whose {@code /callback} records
 * what the browser brought back (the query of a GET, or the body of a form_post) and shows a small page.
 */
public final class RelyingParty implements AutoCloseable {
    public static final String DONE_MARKER_ID = "rp-done";

    private final HttpServer server;
    private final LinkedBlockingQueue<String> callbacks = new LinkedBlockingQueue<>();

    private RelyingParty(HttpServer server) {
        this.server = server;
    }

    public static RelyingParty start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RelyingParty rp = new RelyingParty(server);
            server.createContext("/callback", rp::callback);
            server.start();
            return rp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String callbackUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** The raw query (or form body) of the next callback, waiting a little for the browser to arrive. */
    public String nextCallback() throws InterruptedException {
        String received = callbacks.poll(20, TimeUnit.SECONDS);
        if (received == null) {
            throw new AssertionError("the browser never reached the relying party's callback");
        }
        return received;
    }

    public void forgetCallbacks() {
        callbacks.clear();
    }

    private void callback(HttpExchange exchange) throws IOException {
        String received;
        if ("POST".equals(exchange.getRequestMethod())) {
            try (InputStream body = exchange.getRequestBody()) {
                received = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } else {
            String query = exchange.getRequestURI().getRawQuery();
            received = query == null ? "" : query;
        }
        callbacks.add(received);
        byte[] page = ("<!DOCTYPE html><html lang=\"en\"><head><title>Relying party</title></head>"
                + "<body><h1 id=\"" + DONE_MARKER_ID + "\">Back at the app</h1></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, page.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
