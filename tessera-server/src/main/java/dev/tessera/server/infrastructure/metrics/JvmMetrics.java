package dev.tessera.server.infrastructure.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * JVM and process basics: heap and non-heap use by pool, threads, GC count and time per collector, uptime, open file
 * descriptors, CPU and the resident set size. Bound at the first scrape, not at startup: the management beans they
 * read take tens of milliseconds to come up, which a server that is never scraped need not pay.
 */
public final class JvmMetrics implements Consumer<MeterRegistry> {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private boolean bound;

    @Override
    public void accept(MeterRegistry registry) {
        if (bound) {
            return;
        }
        bound = true;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // Cumulative counts from the collector beans: no GC notification listener to install and remove.
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionCounter.builder("jvm.gc.collections", gc, GarbageCollectorMXBean::getCollectionCount)
                    .description("Collections by this collector since the JVM started").tag("gc", gc.getName())
                    .register(registry);
            FunctionCounter.builder("jvm.gc.collection.time", gc, bean -> bean.getCollectionTime() / 1000.0)
                    .baseUnit("seconds").description("Time spent in this collector since the JVM started")
                    .tag("gc", gc.getName()).register(registry);
        }
        if (Files.isReadable(PROC_STATUS)) {
            Gauge.builder("process.resident.memory", PROC_STATUS, JvmMetrics::residentBytes).baseUnit("bytes")
                    .description("Resident set size of the process (VmRSS)").register(registry);
        }
    }

    // One small read of /proc per scrape; NaN where it cannot be read.
    static double residentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
