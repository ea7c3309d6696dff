// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.Backend;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the event loops of one server (or client) share: the configuration, the transport, the
 * loops themselves (for handing accepted connections round-robin), connection ids, the count
 * of open connections ({@code maxConnections}), and the memory budget. The other counters are
 * per loop ({@link LoopStats}).
 * Thread-safe.
 */
final class ServerCore {
    final LoopConfig config;
    /** Partial frames and queued output of every connection, all loops. */
    final MemoryBudget budget;
    private EventLoop[] loops;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private int nextLoop;
    private volatile Backend backend = Backend.NIO;
    private volatile Runnable loopFailureListener;

    /** @param config the shared settings, {@code maxBufferedBytes} the budget's (0: the default) */
    ServerCore(LoopConfig config) {
        this.config = config;
        this.budget = config.maxBufferedBytes() > 0 ? new MemoryBudget(config.maxBufferedBytes())
                : MemoryBudget.defaults();
    }

    /** Sets the transport outbound sockets are made with, before any loop starts. */
    void setBackend(Backend backend) {
        this.backend = backend;
    }

    /** @return the transport of these loops, for outbound sockets */
    Backend backend() {
        return backend;
    }

    /** An outbound connection took a slot: it counts as open (no {@code maxConnections} limit). */
    void outboundOpened() {
        open.incrementAndGet();
    }

    /** Sets the loops once, before any of them starts. */
    void setLoops(EventLoop[] loops) {
        this.loops = loops.clone();
    }

    /**
     * Round-robin choice for the next accepted connection, skipping loops that died; called by
     * accepting loops.
     */
    synchronized EventLoop nextLoop() {
        for (int tries = 0; tries < loops.length; tries++) {
            EventLoop l = loops[nextLoop];
            nextLoop = (nextLoop + 1) % loops.length;
            if (l.isAlive()) {
                return l;
            }
        }
        return loops[0]; // all dead: the caller's execute() fails and closes the socket
    }

    /** @param listener run, once per failed loop, when a loop ends on an unexpected error */
    void onLoopFailure(Runnable listener) {
        this.loopFailureListener = listener;
    }

    /** A loop ended on an unexpected error (it is in the loop's {@code failure()}). */
    void loopFailed() {
        Runnable l = loopFailureListener;
        if (l != null) {
            l.run();
        }
    }

    /**
     * Counts a connection in, unless that would pass {@code maxConnections} (the accepting loop
     * counts the outcome in its {@link LoopStats}).
     */
    boolean tryReserveConnection() {
        int max = config.maxConnections();
        while (true) {
            int now = open.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void connectionClosed() {
        open.decrementAndGet();
    }

    long nextConnectionId() {
        return ids.incrementAndGet();
    }

    /** @return connections accepted and not yet closed */
    int openConnections() {
        return open.get();
    }
}
