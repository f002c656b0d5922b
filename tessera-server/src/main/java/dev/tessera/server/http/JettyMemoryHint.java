package dev.tessera.server.http;

/**
 * Tells Jetty how many object references share a CPU cache line before it asks the JVM itself. Jetty pads its
 * concurrent structures by that number (against false sharing) and, when the system property below is unset, learns
 * whether references are compressed by starting the platform MBean server and invoking the HotSpot diagnostic MBean:
 * about 170 JMX classes and tens of milliseconds of every start (issue 10). The number is only a padding size; a
 * wrong guess costs a little padding or a little false sharing, never correctness.
 */
final class JettyMemoryHint {
    static final String PROPERTY = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final int CACHE_LINE_BYTES = 64; // Jetty's default for org.eclipse.jetty.util.cacheLineBytes
    // HotSpot compresses references for heaps below 32 GiB unless told otherwise (-XX:-UseCompressedOops).
    private static final long COMPRESSED_OOPS_HEAP_LIMIT = 32L << 30;

    private JettyMemoryHint() {
    }

    /** Sets the property, unless the operator did, before Jetty's first use; later calls change nothing. */
    static void apply() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, String.valueOf(referencesPerCacheLine(Runtime.getRuntime().maxMemory())));
        }
    }

    static int referencesPerCacheLine(long maxHeapBytes) {
        int referenceBytes = maxHeapBytes < COMPRESSED_OOPS_HEAP_LIMIT ? 4 : 8;
        return CACHE_LINE_BYTES / referenceBytes;
    }
}
