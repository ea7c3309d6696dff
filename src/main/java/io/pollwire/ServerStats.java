// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.loop.LoopGroup;
import io.pollwire.loop.LoopStats;
import java.util.Objects;

/**
 * A snapshot of a server's (or a client's) counters, from {@link Server#stats()} or
 * {@link Client#stats()}: what a service exports to its metrics system, e.g. every few seconds.
 *
 * <pre>{@code
 * ServerStats s = server.stats();
 * gauge("pollwire_open_connections", s.openConnections());
 * counter("pollwire_bytes_read_total", s.bytesRead());
 * counter("pollwire_closed_total{reason=\"idle\"}", s.closed(CloseReason.IDLE));
 * }</pre>
 *
 * <p><b>Threading and cost.</b> Each event loop keeps its own counters, written only by its own
 * thread with plain increments (no lock, no atomic read-modify-write, nothing allocated), so
 * counting costs the hot path a few instructions per read or write, never per frame. Taking a
 * snapshot, on any thread, sums the loops' counters (one small allocation). Every value is one
 * a loop really reached, and counters only grow from one snapshot to the next (except the
 * gauges {@link #openConnections()} and {@link #bufferedBytes()}); but the values are not read
 * at one instant together, across counters or across loops: while traffic flows, {@code
 * accepted - closed} need not equal {@code open} exactly. Immutable.
 *
 * <p>The counts cover every connection on the loops: accepted ones and outbound ones
 * ({@link Connection#connect}, or a {@link Client} sharing the server's loops). A client with
 * loops of its own has counters of its own.
 */
public final class ServerStats {
    private final int open;
    private final long buffered;
    private final long shed;
    private final long[] counters;

    private ServerStats(int open, long bufferedBytes, long shed, long[] counters) {
        this.open = open;
        this.buffered = bufferedBytes;
        this.shed = shed;
        this.counters = counters;
    }

    /** @return a snapshot of {@code loops}: their summed counters, indexed as {@link LoopStats} says */
    static ServerStats of(LoopGroup loops) {
        return new ServerStats(loops.openConnections(), loops.bufferedBytes(), loops.shedConnections(),
                loops.counters());
    }

    /** @return connections open now, accepted and outbound (a gauge) */
    public int openConnections() {
        return open;
    }

    /** @return connections accepted since start (and not rejected) */
    public long accepted() {
        return counters[LoopStats.ACCEPTED];
    }

    /**
     * @return connections refused because of {@link Server.Builder#maxConnections(int)}: closed
     *     as soon as accepted, before any callback
     */
    public long rejected() {
        return counters[LoopStats.REJECTED];
    }

    /** @return outbound connects that succeeded ({@link Connection#connect}, {@link Client#connect}) */
    public long outboundOpened() {
        return counters[LoopStats.OUTBOUND_OPENED];
    }

    /** @return outbound connects that failed (refused, timed out, unresolved...); never opened */
    public long outboundFailed() {
        return counters[LoopStats.OUTBOUND_FAILED];
    }

    /**
     * @param reason why they closed
     * @return connections (that had opened) closed for this reason; {@link CloseReason#OVERLOADED}
     *     counts the connections shed to stay within {@link Server.Builder#maxBufferedBytes(long)}
     */
    public long closed(CloseReason reason) {
        return counters[LoopStats.CLOSED + Objects.requireNonNull(reason, "reason").ordinal()];
    }

    /** @return connections closed, all reasons together */
    public long closed() {
        long sum = 0;
        for (CloseReason r : CloseReason.values()) {
            sum += closed(r);
        }
        return sum;
    }

    /** @return bytes read from sockets, input discarded during a close or drain included */
    public long bytesRead() {
        return counters[LoopStats.BYTES_READ];
    }

    /** @return bytes the kernel took from writes (sent or in its send buffer) */
    public long bytesWritten() {
        return counters[LoopStats.BYTES_WRITTEN];
    }

    /**
     * @return complete frames the framing cut and handlers received one by one ({@code onFrame},
     *     or a {@link Frames} they iterated or counted); partial frames are not counted, nor are
     *     the frames of a batch a handler passed back whole without looking at them
     *     ({@link Frames#echoAll()}, the echo server's path: counting those would cost a pass over
     *     every byte, about a fifth of that path's CPU; {@link #bytesRead()} still counts them)
     */
    public long frames() {
        return counters[LoopStats.FRAMES];
    }

    /**
     * @return connections closed on a {@link io.pollwire.codec.FramingException} (an over-long
     *     line, a bad length field...)
     */
    public long framingErrors() {
        return counters[LoopStats.FRAMING_ERRORS];
    }

    /**
     * @return the write-queue high-water mark: the most bytes one connection had queued because
     *     the kernel did not take them at once, in bytes, over all connections since start (the
     *     peer that reads slowest; compare with {@link Server.Builder#writeBufferWaterMarks})
     */
    public long writeQueueHighWater() {
        return counters[LoopStats.QUEUE_HIGH_WATER];
    }

    /** @return bytes now held for partial frames and queued output, all connections (a gauge) */
    public long bufferedBytes() {
        return buffered;
    }

    /**
     * @return connections shed to stay within {@link Server.Builder#maxBufferedBytes(long)}: their
     *     partial frame found no room ({@code ERR server busy}, then closed with
     *     {@link CloseReason#OVERLOADED}, which also counts closes on a failed allocation)
     */
    public long shedConnections() {
        return shed;
    }

    /**
     * @return times a listener paused accepting because accept failed for want of descriptors
     *     ({@code EMFILE}, {@code ENFILE}) or memory (logged at WARNING once per burst)
     */
    public long acceptBackoffs() {
        return counters[LoopStats.ACCEPT_BACKOFFS];
    }

    /** @return connections that entered a shutdown's drain (0 until {@link Server#shutdown} is called) */
    public long drainsStarted() {
        return counters[LoopStats.DRAINS_STARTED];
    }

    /**
     * @return draining connections that closed cleanly: idle ones at once, owed ones after their
     *     replies. {@code drainsStarted() - drainsCompleted()} are still draining, or were forced
     */
    public long drainsCompleted() {
        return counters[LoopStats.DRAINS_COMPLETED];
    }

    @Override
    public String toString() {
        StringBuilder closedBy = new StringBuilder();
        for (CloseReason r : CloseReason.values()) {
            if (closed(r) > 0) {
                closedBy.append(closedBy.length() == 0 ? "" : ", ").append(r).append('=').append(closed(r));
            }
        }
        return "ServerStats[open=" + open + ", accepted=" + accepted() + ", rejected=" + rejected()
                + ", outbound=" + outboundOpened() + " (" + outboundFailed() + " failed), closed=" + closed()
                + " {" + closedBy + "}, bytesRead=" + bytesRead() + ", bytesWritten=" + bytesWritten()
                + ", frames=" + frames() + ", framingErrors=" + framingErrors() + ", writeQueueHighWater="
                + writeQueueHighWater() + ", bufferedBytes=" + buffered + ", shed=" + shed
                + ", acceptBackoffs=" + acceptBackoffs() + ", drainsStarted=" + drainsStarted() + ", drainsCompleted=" + drainsCompleted()
                + "]";
    }
}
