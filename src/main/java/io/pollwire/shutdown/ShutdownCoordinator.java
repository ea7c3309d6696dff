// SPDX-License-Identifier: Apache-2.0
package io.pollwire.shutdown;

import io.pollwire.ShutdownReport;
import io.pollwire.loop.MemoryBudget;
import io.pollwire.observe.FlightEvents;
import io.pollwire.observe.Loggers;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs a server's graceful shutdown once, whoever asks and however often:
 * <ol>
 *   <li>close the listeners, so new connections are refused at once;
 *   <li>every connection stops handling input (complete frames already read have been
 *       handled and their replies queued), and its partial frame is dropped;
 *   <li>connections that owe nothing (idle) close at once; the others drain
 *       <em>concurrently</em>, under one timeout, until what they owe (queued output,
 *       deferred replies) is sent, then send FIN and linger (discard input) only while
 *       that protects replies from a reset;
 *   <li>at the timeout (or on {@link #shutdownNow()}), force-close what is left;
 *   <li>stop and join the loop threads.
 * </ol>
 * The work runs on its own short-lived thread, so a handler on a loop thread can start a
 * shutdown without deadlocking the loop it runs on.
 */
public final class ShutdownCoordinator {
    private static final System.Logger LOG = Loggers.SHUTDOWN;
    private static final long PHASE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final List<? extends ShutdownTarget> loops;
    private final String name;
    /** What was shed to stay within it goes into the report; may be null. */
    private final MemoryBudget budget;
    /** The report's level: INFO for a server, DEBUG for a client's own loops (often one per request). */
    private final Level reportLevel;
    private final CompletableFuture<ShutdownReport> result = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final WaitGroup pending = new WaitGroup();
    private volatile boolean forceRequested;

    private final AtomicInteger openAtStart = new AtomicInteger();
    private final AtomicInteger idleClosed = new AtomicInteger();
    private final AtomicInteger drainedWithReplies = new AtomicInteger();
    private final AtomicInteger repliesAbandoned = new AtomicInteger();
    private final AtomicInteger forced = new AtomicInteger();
    private final AtomicLong partialBytes = new AtomicLong();
    private final AtomicLong discardedBytes = new AtomicLong();
    private volatile boolean forcing;
    /** Where the report goes instead of the log ({@link #reportTo}); null: logged. */
    private volatile Consumer<ShutdownReport> reportSink;

    /**
     * @param loops the server's event loops
     * @param name used for the coordinator thread's name
     */
    public ShutdownCoordinator(List<? extends ShutdownTarget> loops, String name) {
        this(loops, name, null);
    }

    /**
     * @param loops the server's event loops
     * @param name used for the coordinator thread's name
     * @param budget the server's memory budget, whose figures the report includes; or null
     */
    public ShutdownCoordinator(List<? extends ShutdownTarget> loops, String name, MemoryBudget budget) {
        this(loops, name, budget, Level.INFO);
    }

    /**
     * @param loops the server's event loops
     * @param name used for the coordinator thread's name
     * @param budget the server's memory budget, whose figures the report includes; or null
     * @param reportLevel the level the report is logged at ({@code io.pollwire.shutdown})
     */
    public ShutdownCoordinator(List<? extends ShutdownTarget> loops, String name, MemoryBudget budget,
            Level reportLevel) {
        this.loops = List.copyOf(loops);
        this.name = name;
        this.budget = budget;
        this.reportLevel = reportLevel;
    }

    /**
     * Starts the graceful shutdown if it has not started yet.
     *
     * @param timeout how long connections may drain before they are forced
     * @return the report, completed when the loops have stopped; the same for every caller
     */
    public CompletableFuture<ShutdownReport> shutdown(Duration timeout) {
        if (started.compareAndSet(false, true)) {
            long t0 = System.nanoTime();
            Thread t = new Thread(() -> run(t0, timeout), name + "-shutdown");
            t.start();
        }
        return result;
    }

    /**
     * Forces the shutdown: starts it if needed and stops waiting for connections to drain.
     *
     * @return the same report future as {@link #shutdown(Duration)}
     */
    public CompletableFuture<ShutdownReport> shutdownNow() {
        forceRequested = true;
        pending.abort();
        return shutdown(Duration.ZERO);
    }

    /**
     * Sends the report to {@code sink} instead of logging it: whoever installs a sink (the
     * signal handlers, which print it as one of their notices) owns the report, so it appears
     * once. The sink runs on the coordinator's thread before the report future completes, so
     * a thread that waited for the future finds it delivered.
     *
     * @param sink receives the report once; an exception from it is logged and ignored
     */
    public void reportTo(Consumer<ShutdownReport> sink) {
        this.reportSink = sink;
    }

    /** @return true once a shutdown has been asked for */
    public boolean isStarted() {
        return started.get();
    }

    private final ShutdownHook hook = new ShutdownHook() {
        @Override
        public void draining(int count, long partialFrameBytes) {
            openAtStart.addAndGet(count);
            partialBytes.addAndGet(partialFrameBytes);
            pending.add(count);
        }

        @Override
        public void drained(long discardedInputBytes, boolean afterReplies) {
            (afterReplies ? drainedWithReplies : idleClosed).incrementAndGet();
            discardedBytes.addAndGet(discardedInputBytes);
            pending.done();
        }

        @Override
        public void abandoned(int replies) {
            repliesAbandoned.addAndGet(replies);
        }

        @Override
        public boolean forcing() {
            return forcing;
        }
    };

    private void run(long t0, Duration timeout) {
        long deadline = t0 + Math.max(0, timeout.toNanos());
        boolean timedOut = false;
        try {
            // 1. listeners first: from here on, connects are refused
            CountDownLatch listenersClosed = new CountDownLatch(loops.size());
            for (ShutdownTarget loop : loops) {
                if (!loop.closeListenersAsync(listenersClosed::countDown)) {
                    listenersClosed.countDown();
                }
            }
            listenersClosed.await(PHASE_GRACE_NANOS, TimeUnit.NANOSECONDS);
            FlightEvents.listenersClosed(name, System.nanoTime() - t0);

            // 2 + 3. every connection drains; the guard keeps the count from touching 0 before
            // every loop has added its connections
            pending.add(1);
            CountDownLatch drainStarted = new CountDownLatch(loops.size());
            for (ShutdownTarget loop : loops) {
                if (!loop.drainAsync(hook, drainStarted::countDown)) {
                    drainStarted.countDown();
                }
            }
            drainStarted.await(PHASE_GRACE_NANOS, TimeUnit.NANOSECONDS);
            FlightEvents.drainStarted(name, openAtStart.get(), partialBytes.get());
            pending.done();
            boolean clean = pending.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    && !forceRequested;

            // 4. what did not drain in time is closed
            if (!clean || pending.count() > 0) {
                timedOut = !forceRequested;
                forcing = true;
                CountDownLatch forcedDone = new CountDownLatch(loops.size());
                for (ShutdownTarget loop : loops) {
                    if (!loop.forceCloseAsync(n -> {
                        forced.addAndGet(n);
                        forcedDone.countDown();
                    })) {
                        forcedDone.countDown();
                    }
                }
                forcedDone.await(PHASE_GRACE_NANOS, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "shutdown failed; stopping the loops anyway", t);
        } finally {
            // 5. stop and join the loops (a loop closes whatever it still holds)
            for (ShutdownTarget loop : loops) {
                loop.requestStop();
            }
            for (ShutdownTarget loop : loops) {
                try {
                    if (!loop.awaitTermination(PHASE_GRACE_NANOS, TimeUnit.NANOSECONDS)) {
                        LOG.log(Level.WARNING, "event loop " + loop + " did not stop in time");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Throwable loopFailure = null;
        for (ShutdownTarget loop : loops) {
            if (loopFailure == null) {
                loopFailure = loop.failure();
            }
        }
        ShutdownReport report = new ShutdownReport(openAtStart.get(), idleClosed.get(), drainedWithReplies.get(),
                forced.get(), repliesAbandoned.get(),
                partialBytes.get(), discardedBytes.get(), Duration.ofNanos(System.nanoTime() - t0), timedOut,
                loopFailure);
        if (budget != null) {
            report = report.withMemory(budget.limit(), budget.peak(), budget.shedConnections(),
                    budget.allocationFailures());
        }
        FlightEvents.drainFinished(name, report.openAtStart(), report.idleClosed(), report.drainedWithReplies(),
                report.forced(), report.repliesAbandoned(), report.partialFrameBytesDiscarded(), report.inputBytesDiscarded(), report.elapsed().toNanos(),
                report.timedOut());
        Consumer<ShutdownReport> sink = reportSink;
        if (sink == null) {
            logReport(report, reportLevel);
        } else {
            try {
                sink.accept(report);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the shutdown report's receiver failed; the report: " + report, e);
            }
        }
        result.complete(report);
    }

    /**
     * Logs the report (at INFO for a server). When the drain runs inside the JVM's own shutdown
     * (a user's {@code Runtime.addShutdownHook(server::close)}), {@code java.util.logging} may
     * already have closed its handlers in its own concurrent hook: then a report above DEBUG
     * also goes to {@code System.err}, so it is never lost. {@code ShutdownSignals} avoids the
     * race.
     */
    static void logReport(ShutdownReport report, Level level) {
        LOG.log(level, "pollwire {0}", report);
        if (level != Level.DEBUG && jvmShuttingDown()) {
            System.err.println("pollwire " + report);
        }
    }

    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true; // "Shutdown in progress"
        }
    }
}
