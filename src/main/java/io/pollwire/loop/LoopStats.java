// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One event loop's counters, for {@code Server.stats()}. Written only by the loop's own thread:
 * a plain read of its own last value plus an opaque store (no lock, no CAS, no fence, no
 * allocation; on x86 and ARM an ordinary store), so counting costs a few instructions per read
 * or write, never per frame. Any thread may {@link #addTo sum} them with opaque loads: each
 * value is one the loop really wrote, not torn, and never goes back; values of different
 * counters, and of different loops, are not read at one instant together.
 *
 * <p>The slots are indexed by the constants below; the closed-by-reason counts follow at
 * {@link #CLOSED} + {@code CloseReason.ordinal()}. The array is padded at both ends so that two
 * loops' counters never share a cache line.
 */
public final class LoopStats {
    /** Connections accepted by this loop's listeners and taken in (not rejected). */
    public static final int ACCEPTED = 0;
    /** Connections closed at once because of {@code maxConnections}. */
    public static final int REJECTED = 1;
    /** Outbound connects that succeeded. */
    public static final int OUTBOUND_OPENED = 2;
    /** Outbound connects that failed (refused, timed out, unresolved...). */
    public static final int OUTBOUND_FAILED = 3;
    /** Bytes read from sockets, discarded ones (after our FIN) included. */
    public static final int BYTES_READ = 4;
    /** Bytes the kernel took from writes. */
    public static final int BYTES_WRITTEN = 5;
    /** Complete frames cut by the framing and handed to handlers. */
    public static final int FRAMES = 6;
    /** Connections whose framing failed ({@code FramingException}). */
    public static final int FRAMING_ERRORS = 7;
    /** Times a listener was paused because accept failed (EMFILE, ENFILE, out of memory). */
    public static final int ACCEPT_BACKOFFS = 8;
    /** Connections that entered a shutdown's drain. */
    public static final int DRAINS_STARTED = 9;
    /** Draining connections that closed cleanly (idle at once, or after their replies). */
    public static final int DRAINS_COMPLETED = 10;
    /** The most bytes one connection had queued for the kernel at once (a maximum, not a sum). */
    public static final int QUEUE_HIGH_WATER = 11;
    /** Connections closed, by reason: {@code CLOSED + reason.ordinal()}. */
    public static final int CLOSED = 12;
    /** Number of slots. */
    public static final int SLOTS = CLOSED + CloseReason.values().length;

    private static final int PAD = 8; // 64 bytes of longs either side
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] v = new long[PAD + SLOTS + PAD];

    /** Adds {@code n} to a counter; loop thread only. */
    void add(int slot, long n) {
        int i = PAD + slot;
        SLOT.setOpaque(v, i, v[i] + n);
    }

    /** Adds one to a counter; loop thread only. */
    void increment(int slot) {
        add(slot, 1);
    }

    /** A connection closed for {@code reason}; loop thread only. */
    void closed(CloseReason reason) {
        add(CLOSED + reason.ordinal(), 1);
    }

    /** Raises the queue high-water mark to {@code queuedBytes} if above it; loop thread only. */
    void queued(long queuedBytes) {
        int i = PAD + QUEUE_HIGH_WATER;
        if (queuedBytes > v[i]) {
            SLOT.setOpaque(v, i, queuedBytes);
        }
    }

    /**
     * Adds this loop's counters into {@code totals} (the high-water mark as a maximum); any
     * thread.
     *
     * @param totals {@link #SLOTS} values
     */
    void addTo(long[] totals) {
        for (int s = 0; s < SLOTS; s++) {
            long x = (long) SLOT.getOpaque(v, PAD + s);
            totals[s] = s == QUEUE_HIGH_WATER ? Math.max(totals[s], x) : totals[s] + x;
        }
    }
}
