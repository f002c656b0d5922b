package dev.tessera.bench;

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
    private final boolean readTimeout;
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    /**
     * What was read from the socket and not yet used: bytes {@code position} to {@code limit}. The answer is parsed
     * in place (no synchronized read per byte, no String per header line that is not needed); it is larger than
     * {@link #MAX_HEADER_LINE} so a whole line always fits.
     */
    private final byte[] buffer = new byte[2 * MAX_HEADER_LINE];
    private int position;
    private int limit;

    /** The status, whether the server will close the connection, and the body when it was asked for. */
    record Answer(int status, boolean close, String body) {
    }

    /** A connection whose reads give up after 10 s without a byte (a long soak that nothing else watches). */
    KeepAliveConnection(URI url) {
        this(url, true);
    }

    /**
     * @param readTimeout false for the timed load phases: a socket read with a timeout is a non-blocking read, a
     *                    poll and a second read in the JDK (three system calls per answer instead of one), which
     *                    the generator's share of the two cores would pay on every request; {@link LoadPhase}
     *                    bounds those phases instead, {@link #abort aborting} a connection still waiting after its
     *                    deadline
     */
    KeepAliveConnection(URI url, boolean readTimeout) {
        this.url = url;
        this.readTimeout = readTimeout;
    }

    private void open() throws IOException {
        Socket fresh = new Socket();
        try {
            fresh.setTcpNoDelay(true);
            if (readTimeout) {
                fresh.setSoTimeout(10_000);
            }
            fresh.connect(new InetSocketAddress(url.getHost(), port(url)), 5_000);
            in = fresh.getInputStream();
            out = fresh.getOutputStream();
            position = 0;
            limit = 0;
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
        int lineEnd = lineEnd();
        int status = statusCode(lineEnd);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (lineEnd = lineEnd(); lineEnd > position; lineEnd = lineEnd()) {
            // Only three headers matter here; the others are skipped without making a String of them.
            if (nameIs("content-length", lineEnd)) {
                length = Long.parseLong(value(lineEnd));
            } else if (nameIs("transfer-encoding", lineEnd)) {
                chunked = value(lineEnd).toLowerCase(Locale.ROOT).contains("chunked");
            } else if (nameIs("connection", lineEnd)) {
                close = value(lineEnd).equalsIgnoreCase("close");
            }
            position = next(lineEnd);
        }
        position = next(lineEnd); // the empty line that ends the headers
        if (status == 304 || status == 204 || status / 100 == 1) {
            return new Answer(status, close, keepBody ? "" : null);
        }
        if (!chunked && length >= 0 && length <= limit - position) { // the whole body is already here: no copy
            String text = keepBody ? new String(buffer, position, (int) length, StandardCharsets.UTF_8) : null;
            position += (int) length;
            return new Answer(status, close, text);
        }
        ByteArrayOutputStream body = keepBody ? new ByteArrayOutputStream(2048) : null;
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

    /** The status code of the status line that ends at {@code lineEnd}; the position moves past the line. */
    private int statusCode(int lineEnd) throws IOException {
        String statusLine = new String(buffer, position, lineEnd - position, StandardCharsets.ISO_8859_1);
        position = next(lineEnd);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        return Integer.parseInt(parts[1]);
    }

    /** Whether the header line at the position, ending at {@code lineEnd}, is {@code name:} (any case). */
    private boolean nameIs(String name, int lineEnd) {
        int n = name.length();
        if (lineEnd - position <= n || buffer[position + n] != ':') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = buffer[position + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The trimmed value of the header line at the position. */
    private String value(int lineEnd) {
        int colon = position;
        while (buffer[colon] != ':') {
            colon++;
        }
        return new String(buffer, colon + 1, lineEnd - colon - 1, StandardCharsets.ISO_8859_1).trim();
    }

    /**
     * From another thread: closes the socket under a read or write that is still waiting, which then fails with an
     * IOException in its own thread (and the next exchange connects again).
     */
    void abort() {
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing is all that was asked
            }
        }
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

    /** The next line as text, without its line end; the position moves past it. */
    private String line() throws IOException {
        int lineEnd = lineEnd();
        String text = new String(buffer, position, lineEnd - position, StandardCharsets.ISO_8859_1);
        position = next(lineEnd);
        return text;
    }

    /**
     * Where the line at the position ends (its CR, or its LF when a bare LF ends it), reading from the socket until
     * the buffer holds the whole line; lines are limited to {@link #MAX_HEADER_LINE} bytes.
     */
    private int lineEnd() throws IOException {
        int scanned = position;
        while (true) {
            for (; scanned < limit; scanned++) {
                if (buffer[scanned] == '\n') {
                    return scanned > position && buffer[scanned - 1] == '\r' ? scanned - 1 : scanned;
                }
            }
            if (limit - position >= MAX_HEADER_LINE) {
                throw new IOException("header line too long");
            }
            scanned -= position;
            if (fill() < 0) {
                throw new EOFException("connection closed mid-answer");
            }
            scanned += position;
        }
    }

    /** The position just past the LF of the line that ends at {@code lineEnd}. */
    private int next(int lineEnd) {
        return buffer[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    /**
     * Reads more from the socket after what is buffered, first moving the unread bytes to the start of the buffer;
     * the number of bytes read, or -1 at the end of the stream.
     */
    private int fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    /** Reads {@code bytes} of body into {@code sink}, or skips them when it is null. */
    private void take(long bytes, ByteArrayOutputStream sink) throws IOException {
        if (sink != null && sink.size() + bytes > MAX_BODY) {
            throw new IOException("an answer body over " + MAX_BODY + " bytes");
        }
        long left = bytes;
        while (left > 0) {
            if (position == limit && fill() < 0) {
                throw new EOFException("connection closed mid-body");
            }
            int n = (int) Math.min(left, limit - position);
            if (sink != null) {
                sink.write(buffer, position, n);
            }
            position += n;
            left -= n;
        }
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }
}
