package dev.tessera.server.config;

import java.util.ArrayList;
import java.util.List;

/** Collects {@code key.path: message} lines instead of stopping at the first one (dex Validate). */
final class Problems {
    private final List<String> lines = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    void add(String path, String message) {
        String line = (path.isEmpty() ? "(root)" : path) + ": " + message;
        if (!lines.contains(line)) {
            lines.add(line);
            paths.add(path);
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** True when a problem was already reported at this path or above it, so a later check would only echo it. */
    boolean covers(String path) {
        for (String reported : paths) {
            if (path.equals(reported) || path.startsWith(reported + ".") || path.startsWith(reported + "[")) {
                return true;
            }
        }
        return false;
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The key path of a problem line, as {@link #add} wrote it. */
    static String pathOf(String line) {
        int colon = line.indexOf(": ");
        return colon < 0 ? line : line.substring(0, colon);
    }
}
