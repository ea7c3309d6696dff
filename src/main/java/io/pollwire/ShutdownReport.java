// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import java.time.Duration;

/**
 * What a graceful shutdown did, per category of connection: how many were open when it began,
 * how many owed nothing and were closed at once, how many were owed replies and closed after
 * sending them, how many had to be forced when the timeout expired, how many deferred replies
 * were abandoned then, and what input was thrown away. Returned by
 * {@link Server#shutdown(Duration)} and its siblings. The categories follow Go's
 * {@code net/http} {@code Server.Shutdown}: close idle connections at once, wait for active ones.
 *
 * <p>Outbound connections a handler opened with {@link Connection#connect} count like the
 * others, with one rule (see there): while the connection that opened one is still owed work,
 * the drain keeps it open and reading, and it is counted when it closes afterwards, as idle or
 * after its own replies; a proxied pair awaiting its backend's answer counts its client side
 * {@linkplain #drainedWithReplies() after its replies}. When the timeout expires first, both
 * sides count as {@linkplain #forced() forced} and the awaited reply as
 * {@linkplain #repliesAbandoned() abandoned}.
 *
 * <p>The server makes reports; applications only read them. The canonical constructor is public
 * because Java requires it of a public record, not as an invitation: build one only to test code
 * that consumes reports.
 *
 * @param openAtStart connections open when the drain began (including ones accepted just
 *     before the listeners closed)
 * @param idleClosed connections that owed nothing (no queued output, no deferred reply, no
 *     write in transit) when the drain reached them, closed at once
 * @param drainedWithReplies connections that were owed replies and closed cleanly after sending
 *     all of them, within the timeout
 * @param forced connections force-closed at the timeout (or by {@link Server#shutdownNow()})
 * @param repliesAbandoned deferred replies still outstanding at the timeout (or when
 *     {@link Server#shutdownNow()} forced the shutdown earlier), given up unsent
 * @param partialFrameBytesDiscarded bytes of unfinished frames (lines without their newline
 *     yet) dropped when the drain began
 * @param inputBytesDiscarded bytes that arrived after the drain began and were thrown away
 * @param elapsed time from the call to the end of the shutdown
 * @param timedOut true when the drain timeout expired before every connection drained
 * @param loopFailure the unexpected error an event loop died of (the server then shut itself
 *     down), or null when every loop ran until asked to stop
 * @param bufferBudget the server's {@code maxBufferedBytes} (partial frames + queued output, all
 *     connections); 0 if unknown
 * @param peakBufferedBytes the most bytes of partial frames and queued output held at once
 * @param shedConnections connections closed with {@link CloseReason#OVERLOADED} because the
 *     budget had no room for them
 * @param allocationFailures connections closed because allocating memory on their behalf failed
 *     ({@link OutOfMemoryError} from a buffer or a handler): each cost its connection only
 */
public record ShutdownReport(int openAtStart, int idleClosed, int drainedWithReplies, int forced,
        int repliesAbandoned, long partialFrameBytesDiscarded, long inputBytesDiscarded,
        Duration elapsed, boolean timedOut, Throwable loopFailure, long bufferBudget,
        long peakBufferedBytes, long shedConnections, long allocationFailures) {

    /**
     * A report without memory figures (all 0); see {@link #withMemory}.
     *
     * @param openAtStart connections open when the drain began
     * @param idleClosed connections that owed nothing, closed at once
     * @param drainedWithReplies connections closed after sending what they were owed
     * @param forced connections force-closed at the timeout
     * @param repliesAbandoned deferred replies given up unsent at the timeout
     * @param partialFrameBytesDiscarded bytes of unfinished frames dropped
     * @param inputBytesDiscarded bytes that arrived after the drain began, thrown away
     * @param elapsed time from the call to the end of the shutdown
     * @param timedOut true when the drain timeout expired first
     * @param loopFailure what an event loop died of, or null
     */
    public ShutdownReport(int openAtStart, int idleClosed, int drainedWithReplies, int forced,
            int repliesAbandoned, long partialFrameBytesDiscarded, long inputBytesDiscarded,
            Duration elapsed, boolean timedOut, Throwable loopFailure) {
        this(openAtStart, idleClosed, drainedWithReplies, forced, repliesAbandoned, partialFrameBytesDiscarded,
                inputBytesDiscarded, elapsed, timedOut, loopFailure, 0, 0, 0, 0);
    }

    /**
     * @param bufferBudget the server's {@code maxBufferedBytes}
     * @param peakBufferedBytes the most bytes of partial frames and queued output held at once
     * @param shedConnections connections closed ({@code OVERLOADED}) to stay within the budget
     * @param allocationFailures connections closed because an allocation for them failed
     * @return a copy of this report with the memory figures set
     */
    public ShutdownReport withMemory(long bufferBudget, long peakBufferedBytes, long shedConnections,
            long allocationFailures) {
        return new ShutdownReport(openAtStart, idleClosed, drainedWithReplies, forced, repliesAbandoned,
                partialFrameBytesDiscarded, inputBytesDiscarded, elapsed, timedOut, loopFailure, bufferBudget,
                peakBufferedBytes, shedConnections, allocationFailures);
    }

    /** @return connections that closed cleanly: {@link #idleClosed()} + {@link #drainedWithReplies()} */
    public int drained() {
        return idleClosed + drainedWithReplies;
    }

    /**
     * @return true when every connection drained: none forced, no deferred reply abandoned, no
     *     loop failed
     */
    public boolean isClean() {
        return forced == 0 && repliesAbandoned == 0 && loopFailure == null;
    }

    @Override
    public String toString() {
        return "shutdown: " + openAtStart + (openAtStart == 1 ? " connection" : " connections") + " open, "
                + drained() + " drained (" + idleClosed + " idle closed, " + drainedWithReplies
                + " after their replies), " + forced + " forced, " + repliesAbandoned + " replies abandoned "
                + (timedOut || forced == 0 && repliesAbandoned == 0 ? "at the timeout" : "when the shutdown was forced")
                + ", " + partialFrameBytesDiscarded
                + " bytes of partial frames discarded, " + inputBytesDiscarded + " bytes of input discarded, took "
                + elapsed.toMillis() + " ms" + (timedOut ? " (drain timed out)" : "")
                + (bufferBudget > 0 ? "; buffered at most " + peakBufferedBytes + " of " + bufferBudget
                        + " budget bytes, " + shedConnections + " connections shed, " + allocationFailures
                        + " closed on allocation failure" : "")
                + (loopFailure != null ? "; an event loop failed: " + loopFailure : "");
    }
}
