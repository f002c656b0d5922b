package dev.tessera.server.bootstrap;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * A part of the start that runs on a thread of its own while the main thread opens the store (issue 10: start-up
 * time): the crypto provider and key files (KeyWiring), the HTTP listener. The main thread takes the result with
 * {@link #await}, or, when the start fails first, releases whatever it made with {@link #discard}.
 */
final class BackgroundStart<T> {
    private final FutureTask<T> task;
    private final String what;

    private BackgroundStart(FutureTask<T> task, String what) {
        this.task = task;
        this.what = what;
    }

    /** @param what names the part in the message of an interrupted wait, e.g. "the HTTP listener" */
    static <T> BackgroundStart<T> begin(String threadName, String what, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true); // a start that fails meanwhile must not wait for it to exit
        thread.start();
        return new BackgroundStart<>(task, what);
    }

    /** The result, or what the work threw. */
    T await() {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what + " was starting", e);
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

    /** Waits for the work and hands what it made to {@code release}; nothing if it failed itself. */
    void discard(Consumer<T> release) {
        try {
            release.accept(task.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // it failed itself, or releasing failed: nothing more to release
        }
    }
}
