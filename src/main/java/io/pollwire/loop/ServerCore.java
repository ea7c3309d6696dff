package io.pollwire.loop;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the event loops of one server share: the configuration, the loops themselves (for
 * handing accepted connections round-robin), connection ids and counts.
 */
public final class ServerCore {
    final LoopConfig config;
    /** memory (issue 14): partial frames and queued output of every connection, all loops. */
    final MemoryBudget budget;
    private EventLoop[] loops;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private int nextLoop;
    private volatile java.util.function.BiConsumer<EventLoop, Throwable> loopFailureListener;

    /** @param config the shared settings; the memory budget is {@link MemoryBudget#defaults()} */
    public ServerCore(LoopConfig config) {
        this(config, MemoryBudget.defaults());
    }

    /**
     * @param config the shared settings
     * @param budget bounds the partial frames and queued output of all connections together
     */
    public ServerCore(LoopConfig config, MemoryBudget budget) {
        this.config = config;
        this.budget = budget;
    }

    /** @return the server-wide memory budget */
    public MemoryBudget budget() {
        return budget;
    }

    /** Sets the loops once, before any of them starts. */
    public void setLoops(EventLoop[] loops) {
        this.loops = loops.clone();
    }

    /** @return the loops, in index order */
    public EventLoop[] loops() {
        return loops.clone();
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

    /** @param listener told, once per loop, when a loop ends on an unexpected error */
    public void onLoopFailure(java.util.function.BiConsumer<EventLoop, Throwable> listener) {
        this.loopFailureListener = listener;
    }

    void loopFailed(EventLoop loop, Throwable cause) {
        java.util.function.BiConsumer<EventLoop, Throwable> l = loopFailureListener;
        if (l != null) {
            l.accept(loop, cause);
        }
    }

    /** Counts a connection in, unless that would pass {@code maxConnections}. */
    boolean tryReserveConnection() {
        int max = config.maxConnections;
        while (true) {
            int now = open.get();
            if (max > 0 && now >= max) {
                rejected.incrementAndGet();
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                accepted.incrementAndGet();
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
    public int openConnections() {
        return open.get();
    }

    /** @return connections accepted since start */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** @return connections closed at once because of {@code maxConnections} */
    public long rejectedConnections() {
        return rejected.get();
    }
}
