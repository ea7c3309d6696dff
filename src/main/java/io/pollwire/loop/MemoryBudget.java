// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.observe.Loggers;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide bound on memory that peers make the server hold: kept partial frames and
 * queued output of every connection of every loop, in bytes of buffer capacity (what is really
 * allocated, not what is used). One counter shared by all loops; a reservation is one
 * compare-and-set, made only when a buffer is allocated or grown (never per frame).
 *
 * <p>Two ceilings, so that a flood of large partial frames cannot starve ordinary traffic:
 * <ul>
 *   <li>{@link #tryReserveLarge} (a partial frame over the 4 KiB stash, and each growth of it)
 *       succeeds only while the total stays within {@code 3/4} of the limit;
 *   <li>{@link #tryReserveSmall} (a partial frame's small stash) succeeds up to the limit;
 *   <li>{@link #charge} (queued output) always succeeds: replies already computed cannot be
 *       dropped without breaking the connection's contract, so output over the limit pauses
 *       the reading of the connection instead (see {@link #isOverLimit()}).
 * </ul>
 * A refused reservation sheds the connection ({@code CloseReason.OVERLOADED}); the loop counts
 * it here and logs a WARNING at most every {@link #WARN_INTERVAL_NANOS}, with the count.
 *
 * <p>Thread-safe, lock-free.
 */
public final class MemoryBudget {
    private static final System.Logger LOG = Loggers.LOOP;
    /** At most one WARNING about shed connections or failed allocations per this interval. */
    static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final long limit;
    private final long largeLimit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong allocationFailures = new AtomicLong();
    private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - 2 * WARN_INTERVAL_NANOS);
    private final AtomicLong unreported = new AtomicLong();

    /** @param limit bytes; {@code Long.MAX_VALUE} for no limit */
    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("memory budget must be positive: " + limit);
        }
        this.limit = limit;
        this.largeLimit = limit - limit / 4;
    }

    /** @return a budget of {@link DirectMemory#defaultBudget()} bytes */
    public static MemoryBudget defaults() {
        return new MemoryBudget(DirectMemory.defaultBudget());
    }

    /** @return the limit in bytes */
    public long limit() {
        return limit;
    }

    /** @return bytes currently reserved (partial frames and queued output, all connections) */
    public long used() {
        return used.get();
    }

    /** @return the most bytes reserved at once since the server started */
    public long peak() {
        return peak.get();
    }

    /** @return connections closed because their buffering would have crossed the budget */
    public long shedConnections() {
        return shed.get();
    }

    /** @return connections closed because allocating a buffer (or a handler) ran out of memory */
    public long allocationFailures() {
        return allocationFailures.get();
    }

    /** Reserves room for a partial frame buffer over the stash size: within 3/4 of the limit. */
    boolean tryReserveLarge(long bytes) {
        return tryReserve(bytes, largeLimit);
    }

    /** Reserves room for a small partial frame stash: within the limit. */
    boolean tryReserveSmall(long bytes) {
        return tryReserve(bytes, limit);
    }

    private boolean tryReserve(long bytes, long ceiling) {
        while (true) {
            long now = used.get();
            long next = now + bytes;
            if (next > ceiling) {
                return false;
            }
            if (used.compareAndSet(now, next)) {
                notePeak(next);
                return true;
            }
        }
    }

    /** Counts bytes of queued output; never refused (see the class comment). */
    void charge(long bytes) {
        notePeak(used.addAndGet(bytes));
    }

    /** Gives back what {@link #tryReserveLarge}, {@link #tryReserveSmall} or {@link #charge} took. */
    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** @return true when more is reserved than the limit (only queued output can do that) */
    boolean isOverLimit() {
        return used.get() > limit;
    }

    private void notePeak(long value) {
        long p;
        while (value > (p = peak.get()) && !peak.compareAndSet(p, value)) {
            // retry: another loop raised the peak meanwhile
        }
    }

    /** A connection was shed: counted, and a rate-limited WARNING. */
    void connectionShed(Object connection, long wanted) {
        shed.incrementAndGet();
        warn(connection + " would take the server's buffered bytes over its budget (" + used() + " of "
                + limit + " bytes in use, " + wanted + " more asked); closing it", null);
    }

    /** A buffer allocation (or a handler) failed with OutOfMemoryError: counted, rate-limited log. */
    void allocationFailed(Object connection, Throwable error) {
        allocationFailures.incrementAndGet();
        warn("out of memory on " + connection + "; closing it", error);
    }

    private void warn(String message, Throwable error) {
        long now = System.nanoTime();
        long last = lastWarn.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarn.compareAndSet(last, now)) {
            long skipped = unreported.getAndSet(0);
            try {
                LOG.log(Level.WARNING, message + "; so far " + shed.get() + " connections shed for the memory budget, "
                        + allocationFailures.get() + " closed on allocation failure"
                        + (skipped > 0 ? " (" + skipped + " such events since the last warning)" : "")
                        + (error == null ? "" : " [" + error + "]"));
            } catch (Throwable t) {
                // logging can fail when memory is short: the counters still say it
                if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                    throw (VirtualMachineError) t;
                }
            }
        } else {
            unreported.incrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + used() + "/" + limit + " bytes, peak " + peak() + ", shed " + shedConnections()
                + ", allocation failures " + allocationFailures() + "]";
    }
}
