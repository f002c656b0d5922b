package dev.tessera.server.bootstrap;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Where a start spends its time, for the one log line that says the server is ready: the JVM and the command line
 * before {@code TesseraApp.start}, then each phase by name. Start-up time is a product number (issue 10), so an
 * operator sees it without a profiler.
 */
final class StartupPhases {
    private final long started = System.nanoTime();
    private final long before;
    private final List<String> phases = new ArrayList<>();
    private long last = started;

    StartupPhases() {
        this.before = sinceProcessStart();
    }

    /** Ends the phase that ran since the previous call (or since construction) and names it. */
    void done(String phase) {
        long now = System.nanoTime();
        phases.add(phase + " " + (now - last) / 1_000_000);
        last = now;
    }

    /** E.g. {@code 812 ms after the process started (JVM and command line 240, store 210, keys 90, HTTP 140)}. */
    String summary() {
        StringJoiner parts = new StringJoiner(", ", " (", ")");
        if (before >= 0) {
            parts.add("JVM and command line " + before);
        }
        phases.forEach(parts::add);
        long total = (last - started) / 1_000_000 + Math.max(before, 0);
        return (before >= 0 ? total + " ms after the process started" : total + " ms after start-up began")
                + parts + " ms";
    }

    // The kernel's process start time (10 ms resolution on Linux); -1 where the platform does not tell.
    private static long sinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Math.max(0, Duration.between(start, Instant.now()).toMillis()))
                .orElse(-1L);
    }
}
