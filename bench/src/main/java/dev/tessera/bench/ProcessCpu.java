package dev.tessera.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time (user + system, all threads) another process has used so far, from Linux's /proc/PID/stat, and that
 * of its JIT compiler threads from /proc/PID/task. The
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
        return ticks(Files.readString(stat)) * 1000.0 / ticksPerSecond;
    }

    /**
     * Milliseconds of CPU so far of the JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"), those
     * alive now: compilation still going on during a measured run means the server was not yet at steady state.
     * Zero for a process that is not a HotSpot JVM or whose threads cannot be read.
     */
    double compilerMillis() {
        long ticks = 0;
        Path tasks = stat.resolveSibling("task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String line = Files.readString(thread.resolve("stat"));
                    String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        ticks += ticks(line);
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended while we looked
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 1000.0 / ticksPerSecond;
    }

    // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count after its ')'
    private static long ticks(String statLine) {
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
