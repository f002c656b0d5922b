package dev.tessera.server.bootstrap;

import dev.tessera.server.http.TesseraHttpServer;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Builds and starts the HTTP listener on its own thread while the store opens and the keys load: Jetty and Javalin's
 * start is about a fifth of the main thread's start-up work and needs neither (issue 10: start-up time). Until the
 * composition root hands it the endpoints, the listener answers 503 (TesseraHttpServer).
 */
final class ListenerStart {
    private final FutureTask<TesseraHttpServer> task;

    private ListenerStart(FutureTask<TesseraHttpServer> task) {
        this.task = task;
    }

    static ListenerStart begin(Supplier<TesseraHttpServer> listener) {
        FutureTask<TesseraHttpServer> task = new FutureTask<>(() -> listener.get().start());
        Thread thread = new Thread(task, "tessera-http-setup");
        thread.setDaemon(true); // a start that fails meanwhile must not wait for it to exit
        thread.start();
        return new ListenerStart(task);
    }

    /** The started listener, or what starting it threw (a port in use, say). */
    TesseraHttpServer await() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the HTTP listener was starting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** For a start that failed before it took the listener: closes it once it is open, so the port is free again. */
    void discard() {
        try {
            task.get().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // it failed to start itself, or closing failed: nothing more to release
        }
    }
}
