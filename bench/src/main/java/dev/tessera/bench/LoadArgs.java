package dev.tessera.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} arguments of the load generators, with the checks they all make. */
final class LoadArgs {
    private final Map<String, String> values;

    private LoadArgs(Map<String, String> values) {
        this.values = values;
    }

    static LoadArgs parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments come in pairs: --name value (at " + args[i] + ")");
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        return new LoadArgs(values);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    int bounded(String name, int fallback, int min, int max) {
        int value = values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** The value of the environment variable that {@code --name} names: secrets never appear in a process listing. */
    String fromEnvironment(String name, String what) {
        String variable = values.get(name);
        String value = variable == null ? null : System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " must name a set environment variable holding " + what);
        }
        return value;
    }

    /** {@code --url}: plain http (the generators speak no TLS) to a loopback address. */
    URI loopbackUrl() throws IOException {
        String url = required("url");
        if (!url.startsWith("http://")) {
            throw new IllegalArgumentException("--url must be plain http:// (loopback, no TLS)");
        }
        URI parsed = URI.create(url);
        requireLoopback(parsed);
        return parsed;
    }

    /** Load goes only to this machine: the host must resolve to a loopback address. */
    static void requireLoopback(URI url) throws IOException {
        String host = url.getHost();
        if (host == null || !"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--url must be an http(s) URL with a host");
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("--url must point at a loopback address (127.0.0.0/8 or ::1), not " + host);
            }
        }
    }
}
