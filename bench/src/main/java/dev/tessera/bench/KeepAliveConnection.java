package dev.tessera.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One plain HTTP/1.1 keep-alive socket that sends pre-built requests and reads each answer by hand: status line,
 * headers, then a Content-Length or chunked body. It connects on first use and again after the server closed
 * the connection or an exchange failed. The load generators share the two cores with the server they
 * measure, and {@code java.net.http} spends far more CPU per request than this (its selector thread and
 * hand-offs cost about half a core at 600 tokens/s), which would be counted against the server.
 */
final class KeepAliveConnection implements AutoCloseable {
    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_BODY = 1 << 20;

    private final URI url;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** The status, whether the server will close the connection, and the body when it was asked for. */
    record Answer(int status, boolean close, String body) {
    }

    KeepAliveConnection(URI url) {
        this.url = url;
    }

    private void open() throws IOException {
        Socket fresh = new Socket();
        try {
            fresh.setTcpNoDelay(true);
            fresh.setSoTimeout(10_000);
            fresh.connect(new InetSocketAddress(url.getHost(), port(url)), 5_000);
            // buffered, so reading headers byte by byte is not a system call per byte
            in = new BufferedInputStream(fresh.getInputStream(), 16 * 1024);
            out = fresh.getOutputStream();
            socket = fresh;
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
    }

    /** "Host: h:p" for the request line's target: the path and query of {@code url}. */
    static String requestHead(String method, URI url) {
        String target = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            target += "?" + url.getRawQuery();
        }
        return method + " " + target + " HTTP/1.1\r\nHost: " + url.getHost() + ':' + port(url) + "\r\n";
    }

    /**
     * Sends {@code request} (head and body, ready to go) and reads one answer; its body is kept only if asked.
     * After a failure, or an answer that closes the connection, the next exchange connects again.
     */
    Answer exchange(byte[] request, boolean keepBody) throws IOException {
        if (socket == null) {
            open();
        }
        try {
            Answer answer = send(request, keepBody);
            if (answer.close()) {
                close();
            }
            return answer;
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Answer send(byte[] request, boolean keepBody) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (status == 304 || status == 204 || status / 100 == 1) {
            return new Answer(status, close, keepBody ? "" : null);
        }
        ByteArrayOutputStream body = keepBody ? new ByteArrayOutputStream(1024) : null;
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                take(size, body);
                line(); // the CRLF after each chunk
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are ignored
            }
        } else if (length >= 0) {
            take(length, body);
        } else {
            throw new IOException("an answer with neither Content-Length nor chunked encoding");
        }
        return new Answer(status, close, body == null ? null : body.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken connection
        } finally {
            socket = null;
        }
    }

    private long chunkSize() throws IOException {
        return Long.parseLong(line().split(";", 2)[0].trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder text = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-answer");
            }
            if (b == '\n') {
                int end = text.length();
                if (end > 0 && text.charAt(end - 1) == '\r') {
                    text.setLength(end - 1);
                }
                return text.toString();
            }
            if (text.length() >= MAX_HEADER_LINE) {
                throw new IOException("header line too long");
            }
            text.append((char) b);
        }
    }

    /** Reads {@code bytes} of body into {@code sink}, or skips them when it is null. */
    private void take(long bytes, ByteArrayOutputStream sink) throws IOException {
        if (sink != null && sink.size() + bytes > MAX_BODY) {
            throw new IOException("an answer body over " + MAX_BODY + " bytes");
        }
        byte[] buffer = new byte[(int) Math.min(bytes, 8192)];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(left, buffer.length));
            if (n < 0) {
                throw new EOFException("connection closed mid-body");
            }
            if (sink != null) {
                sink.write(buffer, 0, n);
            }
            left -= n;
        }
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }
}
