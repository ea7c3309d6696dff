// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.ShutdownReport;
import io.pollwire.SocketOptions;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.observe.FlightEvents;
import io.pollwire.shutdown.ShutdownCoordinator;
import io.pollwire.transport.Backend;
import io.pollwire.transport.NetListener;
import io.pollwire.transport.Poller;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server's event loops, assembled and running: one poller and thread per loop, the listening
 * socket (or one per loop with {@code SO_REUSEPORT}) registered, and the coordinator of their
 * shutdown. {@code Server} is the public facade over it. Thread-safe.
 */
public final class LoopGroup {
    /** Events one poll returns at most, per loop. */
    static final int MAX_EVENTS_PER_POLL = 512;

    private final ServerCore core;
    private final List<EventLoop> loops;
    private final SocketAddress localAddress;
    private final ShutdownCoordinator coordinator;
    private final Duration shutdownTimeout;

    private LoopGroup(ServerCore core, EventLoop[] loops, SocketAddress localAddress, Duration shutdownTimeout) {
        this.core = core;
        this.loops = List.of(loops);
        this.localAddress = localAddress;
        // a client's own loops (no listener) are often made per request: their report is DEBUG
        this.coordinator = new ShutdownCoordinator(this.loops, core.config.threadNamePrefix(), core.budget,
                localAddress == null ? Level.DEBUG : Level.INFO);
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Creates the pollers and loops, binds, registers the listeners and starts the loop threads.
     * On failure everything made so far is closed again.
     *
     * @param transport a concrete transport (not AUTO), known to be available
     * @param loopCount number of loops, at least 1
     * @param address where to listen (TCP or Unix domain), or null for loops that only connect out
     * @param backlog the listen queue length
     * @param config the loops' shared settings
     * @param shutdownTimeout drain time of {@link #close()}, and of the shutdown that a loop
     *     dying of an error starts
     * @return the running loops
     * @throws IOException when a poller cannot be created or the address cannot be bound
     */
    public static LoopGroup start(Transport transport, int loopCount, SocketAddress address, int backlog,
            LoopConfig config, Duration shutdownTimeout) throws IOException {
        FlightEvents.available(); // decided (and jdk.jfr's classes loaded) now, not at the first connection
        ServerCore core = new ServerCore(config);
        Backend backend = Backend.valueOf(transport.name());
        core.setBackend(backend);
        EventLoop[] loopArray = new EventLoop[loopCount];
        List<NetListener> listeners = new ArrayList<>();
        List<Poller> pollers = new ArrayList<>();
        List<EventLoop> started = new ArrayList<>();
        boolean ok = false;
        try {
            for (int i = 0; i < loopCount; i++) {
                Poller p = Backend.valueOf(transport.name()).newPoller(MAX_EVENTS_PER_POLL);
                pollers.add(p);
                loopArray[i] = new EventLoop(core, i, p);
            }
            core.setLoops(loopArray);
            SocketAddress bound = null;
            if (address != null) {
                NetListener first = backend.listen(address, backlog, config.listenerPerLoop());
                listeners.add(first);
                bound = first.localAddress();
                loopArray[0].addListener(first);
                if (config.listenerPerLoop()) {
                    for (int i = 1; i < loopCount; i++) {
                        NetListener l = backend.listen(bound, backlog, true);
                        listeners.add(l);
                        loopArray[i].addListener(l);
                    }
                }
            }
            LoopGroup group = new LoopGroup(core, loopArray, bound, shutdownTimeout);
            // a loop that dies of an unexpected error takes the server down with a report
            core.onLoopFailure(() -> group.shutdown(shutdownTimeout));
            for (EventLoop loop : loopArray) {
                loop.start();
                started.add(loop);
            }
            ok = true;
            return group;
        } finally {
            if (!ok) {
                abandon(started, pollers, listeners);
            }
        }
    }

    /**
     * Undoes a failed start: loops already running close their own poller and listeners when
     * they stop (closing them under a loop blocked in epoll_wait would hang it); the rest are
     * closed here.
     */
    private static void abandon(List<EventLoop> started, List<Poller> pollers, List<NetListener> listeners) {
        for (EventLoop loop : started) {
            loop.requestStop();
        }
        boolean interrupted = false;
        for (EventLoop loop : started) {
            try {
                loop.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (int i = started.size(); i < pollers.size(); i++) {
            pollers.get(i).close();
        }
        for (NetListener l : listeners) {
            l.close(); // idempotent: the stopped loops may have closed theirs already
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return the bound address (with the real port when port 0 was asked for), or null for
     *     loops without a listener
     */
    public SocketAddress localAddress() {
        return localAddress;
    }

    // Counts for Server's getters and ServerStats, which document them.
    public int size() { return loops.size(); }
    public int openConnections() { return core.openConnections(); }
    public long bufferedBytes() { return core.budget.used(); }
    public long shedConnections() { return core.budget.shedConnections(); }

    /**
     * Sums the loops' counters, on any thread: see {@link LoopStats} for the slots and what a
     * snapshot promises.
     *
     * @return {@link LoopStats#SLOTS} values
     */
    public long[] counters() {
        long[] totals = new long[LoopStats.SLOTS];
        for (EventLoop loop : loops) {
            loop.stats.addTo(totals);
        }
        return totals;
    }

    /**
     * Opens an outbound connection on the next loop (round-robin); see {@link Connector}.
     *
     * @param timeoutNanos connect timeout, 0 for none
     * @return completes on the connection's loop thread once it is open
     */
    public CompletableFuture<Connection> connect(SocketAddress address, Framing framing, ConnectionHandler handler,
            SocketOptions options, long timeoutNanos) {
        return Connector.connect(core.nextLoop(), address, framing, handler, options, timeoutNanos, null);
    }

    /** @return true when the calling thread is one of these loops */
    private boolean inLoop() {
        for (EventLoop loop : loops) {
            if (loop.inLoop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Blocks until every loop thread has ended, then returns the shutdown's report. Normally a
     * shutdown stopped the loops; if a loop died on its own (a fatal poller error) this shuts
     * the rest down.
     *
     * @return the shutdown report
     * @throws InterruptedException if the calling thread is interrupted while the loops run
     */
    public ShutdownReport awaitTermination() throws InterruptedException {
        for (EventLoop loop : loops) {
            loop.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
        }
        return join(coordinator.shutdown(coordinator.isStarted() ? shutdownTimeout : Duration.ZERO));
    }

    /**
     * Shuts down with the configured timeout and waits for the report, unless called on one of
     * the loops (waiting there would stop that loop from draining): then it only starts it.
     */
    public void close() {
        CompletableFuture<ShutdownReport> f = coordinator.shutdown(shutdownTimeout);
        if (!inLoop()) {
            join(f);
        }
    }

    /** Waits for the report without giving up on an interrupt (which is kept for the caller). */
    private static ShutdownReport join(CompletableFuture<ShutdownReport> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("shutdown failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** See {@link ShutdownCoordinator#shutdown(Duration)}. */
    public CompletableFuture<ShutdownReport> shutdown(Duration drainTimeout) {
        return coordinator.shutdown(drainTimeout);
    }

    /** See {@link ShutdownCoordinator#reportTo}. */
    public void reportTo(Consumer<ShutdownReport> sink) {
        coordinator.reportTo(sink);
    }

    /** See {@link ShutdownCoordinator#shutdownNow()}. */
    public CompletableFuture<ShutdownReport> shutdownNow() {
        return coordinator.shutdownNow();
    }
}
