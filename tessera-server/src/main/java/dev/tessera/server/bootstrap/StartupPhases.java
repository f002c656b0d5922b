package dev.tessera.server.bootstrap;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Where a start spends its time, for the one log line that says the server is ready: the JVM and the command line
 * before {@code TesseraApp.start}, then each phase by name. Start-up time is a product number (issue 10), so an
 * operator sees it without a profiler.
 */
final class StartupPhases {
    private final long startedMillis = System.currentTimeMillis();
    private final long started = System.nanoTime();
    private final List<String> phases = new ArrayList<>();
    private long last = started;

    /** Ends the phase that ran since the previous call (or since construction) and names it. */
    void done(String phase) {
        long now = System.nanoTime();
        phases.add(phase + " " + (now - last) / 1_000_000);
        last = now;
    }

    /** E.g. {@code 812 ms after the JVM started (JVM and command line 240, store 210, keys 90, HTTP 140)}. */
    String summary() {
        // The JVM's own start time, in ms (the process's, from the kernel, is only as exact as its boot time: 1 s).
        // Read at the end: Jetty has loaded the management classes by then.
        long before = Math.max(0, startedMillis - ManagementFactory.getRuntimeMXBean().getStartTime());
        StringJoiner parts = new StringJoiner(", ", " (", ")");
        parts.add("JVM and command line " + before);
        phases.forEach(parts::add);
        return (before + (last - started) / 1_000_000) + " ms after the JVM started" + parts + " ms";
    }
}
