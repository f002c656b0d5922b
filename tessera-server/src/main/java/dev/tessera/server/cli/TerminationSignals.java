package dev.tessera.server.cli;

import java.util.List;

/**
 * Turns SIGTERM (how systemd, Kubernetes and {@code docker stop} stop a service) and SIGINT (Ctrl-C) into a call,
 * instead of the JVM's default of running shutdown hooks and exiting with 143. The server can then drain and exit
 * with 0, which supervisors record as a clean stop.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported, in every JDK and in the runtime images built from
 * one). Where it is missing or the JVM reserves the signals ({@code -Xrs}), nothing is installed and the shutdown
 * hook stops the server instead.
 */
final class TerminationSignals {
    private static final List<String> NAMES = List.of("TERM", "INT");

    private TerminationSignals() {
    }

    /** @return whether the handlers are installed */
    static boolean onTerminate(Runnable action) {
        try {
            for (String name : NAMES) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
            }
            return true;
        } catch (IllegalArgumentException | LinkageError unavailable) {
            return false;
        }
    }
}
