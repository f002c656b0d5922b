package dev.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time (user + system, all threads) another process has used so far, from Linux's /proc/PID/stat. The
 * generators read the server's around the measured run, so "CPU per token" counts the server's work only, not the
 * generator's and not the warm-up's, whatever else the machine is doing.
 */
final class ProcessCpu {
    private final Path stat;
    private final int ticksPerSecond;

    ProcessCpu(long pid, int ticksPerSecond) {
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Milliseconds of CPU so far. */
    double millis() throws IOException {
        String line = Files.readString(stat);
        // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count after its ')'
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000.0 / ticksPerSecond;
    }
}
