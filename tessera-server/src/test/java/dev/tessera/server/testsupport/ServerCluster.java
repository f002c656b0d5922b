package dev.tessera.server.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several {@link ServerProcess}es of one issuer on one store, as a load balancer would see them: started in
 * parallel (each waits for its own /readyz), killed and restarted one by one, all killed on {@link #close()}.
 */
public final class ServerCluster implements AutoCloseable {
    private final List<Path> configs;
    private final List<Integer> ports;
    private final ServerProcess[] processes;

    private ServerCluster(List<Path> configs, List<Integer> ports) {
        this.configs = List.copyOf(configs);
        this.ports = List.copyOf(ports);
        this.processes = new ServerProcess[configs.size()];
    }

    /** Starts {@code configs.get(i)} listening on {@code ports.get(i)}, all at once; fails if any does not start. */
    public static ServerCluster start(List<Path> configs, List<Integer> ports) {
        ServerCluster cluster = new ServerCluster(configs, ports);
        ExecutorService starters = Executors.newFixedThreadPool(configs.size());
        try {
            List<Future<ServerProcess>> started = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                Path config = configs.get(i);
                int port = ports.get(i);
                started.add(starters.submit(() -> ServerProcess.start(config, port)));
            }
            RuntimeException failure = null;
            for (int i = 0; i < started.size(); i++) {
                try {
                    cluster.processes[i] = started.get(i).get();
                } catch (ExecutionException e) {
                    failure = failure == null ? new IllegalStateException("instance " + i + " did not start", e.getCause())
                            : failure;
                }
            }
            if (failure != null) {
                cluster.close();
                throw failure;
            }
            return cluster;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new IllegalStateException(e);
        } finally {
            starters.shutdownNow();
        }
    }

    public int size() {
        return processes.length;
    }

    public ServerProcess get(int index) {
        return processes[index];
    }

    /** kill -9 of one instance. */
    public void kill(int index) {
        processes[index].kill();
    }

    /** Starts a killed (or running, which is killed first) instance again on its port and waits until it is ready. */
    public ServerProcess restart(int index) {
        processes[index].close();
        processes[index] = ServerProcess.start(configs.get(index), ports.get(index));
        return processes[index];
    }

    /** Every instance's log, for a failing test's output. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null) {
                text.append("----- instance ").append(i).append(" (").append(processes[i].uri()).append(") -----\n")
                        .append(processes[i].logText()).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (ServerProcess process : processes) {
            if (process != null) {
                process.close();
            }
        }
    }
}
