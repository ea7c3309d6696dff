// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import java.lang.System.Logger.Level;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * What a loop does at a time rather than on an event: one-off timers (the accept back-off) and
 * the sweep that closes idle connections and graceful closes that stalled. Redis's {@code ae.c}
 * keeps its time events apart from its file events the same way. Loop thread only; times are
 * {@link System#nanoTime()} values.
 *
 * <p>Idle connections (when an idle timeout is set) and connections whose graceful close has
 * stalled are found by a periodic sweep rather than a timer each: no allocation per connection,
 * nothing kept alive after a close.
 */
final class LoopTimers {
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ConnectionSlots slots;
    private final long idleTimeoutNanos;
    /** When the next sweep for idle and slow-closing connections is due, if one is scheduled. */
    private long sweepAt;
    private boolean sweepScheduled;
    /** Connections in CLOSING: while there are any, the sweep enforces their close timeout. */
    private int closingCount;
    /** Connections lingering after their FIN: while there are any, the sweep checks them. */
    private int lingerCount;
    private long lastLingerStart;

    /** A task due at a deadline. */
    private static final class Timer implements Comparable<Timer> {
        final long deadline;
        final Runnable task;

        Timer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadline - o.deadline, 0);
        }
    }

    /**
     * The sweep looks at {@code slots} and closes connections quiet for longer than
     * {@code idleTimeoutNanos} (0: never).
     */
    LoopTimers(ConnectionSlots slots, long idleTimeoutNanos) {
        this.slots = slots;
        this.idleTimeoutNanos = idleTimeoutNanos;
        scheduleSweep(System.nanoTime());
    }

    /** Runs {@code task} on the loop after {@code delayNanos}. */
    void schedule(long delayNanos, Runnable task) {
        timers.add(new Timer(System.nanoTime() + delayNanos, task));
    }

    /** Runs the timers due at {@code t}, then the sweep if it is due; a failing timer is logged. */
    void runDue(long t) {
        Timer head;
        while ((head = timers.peek()) != null && head.deadline - t <= 0) {
            timers.poll();
            try {
                head.task.run();
            } catch (Throwable e) {
                LoopLog.safely(Level.WARNING, "timer failed on " + Thread.currentThread().getName(), e);
            }
        }
        if (sweepScheduled && sweepAt - t <= 0) {
            sweep(t);
        }
    }

    /**
     * @param now the current time
     * @return milliseconds until the next timer or sweep (at least 1), 0 when one is due, or -1
     *     when none is scheduled
     */
    int pollTimeoutMillis(long now) {
        boolean any = sweepScheduled;
        long next = sweepAt;
        Timer head = timers.peek();
        if (head != null && (!any || head.deadline - next < 0)) {
            next = head.deadline;
            any = true;
        }
        if (!any) {
            return -1;
        }
        long delta = next - now;
        if (delta <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(delta + 999_999)));
    }

    private void scheduleSweep(long now) {
        long interval = Long.MAX_VALUE;
        if (idleTimeoutNanos > 0) {
            interval = Math.max(TimeUnit.MILLISECONDS.toNanos(5), idleTimeoutNanos / 8);
        }
        if (closingCount > 0) {
            interval = Math.min(interval, LoopConnection.CLOSE_TIMEOUT_NANOS / 20);
        }
        if (lingerCount > 0) {
            // often just after a FIN (on loopback the ACK is back within a tick), then rarely:
            // a peer that never acknowledges must not cost a scan and a syscall every 2 ms
            boolean recent = now - lastLingerStart < Linger.FAST_CHECKS_NANOS;
            interval = Math.min(interval, recent ? Linger.CHECK_INTERVAL_NANOS : Linger.SLOW_CHECK_INTERVAL_NANOS);
        }
        sweepScheduled = interval != Long.MAX_VALUE;
        sweepAt = now + (sweepScheduled ? interval : 0);
    }

    private void sweep(long t) {
        long idle = idleTimeoutNanos;
        for (int i = 0; i < slots.limit(); i++) {
            LoopConnection c = slots.get(i);
            if (c == null) {
                continue;
            }
            if (c.linger.isActive()) {
                c.linger.check(t);
                if (c.isClosed()) {
                    continue;
                }
            }
            long quiet = c.quietNanos(t);
            if (c.isServing()) {
                if (idle > 0 && quiet > idle) {
                    c.closeIdle();
                }
            } else if (c.isClosingGracefully() && quiet > LoopConnection.CLOSE_TIMEOUT_NANOS
                    && !c.output.order.holding()) {
                // draining connections are timed by the shutdown coordinator; a deferred reply
                // still being computed is owed, not stalled
                c.closeStalled();
            }
        }
        scheduleSweep(System.nanoTime());
    }

    /** A connection entered CLOSING: make sure a sweep will time it. */
    void closingStarted() {
        if (closingCount++ == 0) {
            long due = System.nanoTime() + LoopConnection.CLOSE_TIMEOUT_NANOS / 20;
            if (!sweepScheduled || due - sweepAt < 0) {
                sweepAt = due;
                sweepScheduled = true;
            }
        }
    }

    /** A connection left CLOSING (closed, or drained by a shutdown). */
    void closingEnded() {
        closingCount--;
    }

    /** A connection sent its FIN and lingers: check it soon and often (see {@link Linger}). */
    void lingerStarted() {
        lastLingerStart = System.nanoTime();
        lingerCount++;
        long due = lastLingerStart + Linger.CHECK_INTERVAL_NANOS;
        if (!sweepScheduled || due - sweepAt < 0) {
            sweepAt = due;
            sweepScheduled = true;
        }
    }

    /** A lingering connection closed. */
    void lingerEnded() {
        lingerCount--;
    }
}
