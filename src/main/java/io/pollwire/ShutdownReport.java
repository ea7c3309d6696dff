package io.pollwire;

import java.time.Duration;

/**
 * What a graceful shutdown did, per category of connection: how many were open when it began,
 * how many were idle and closed at once, how many were owed replies and drained after sending
 * them, how many had to be forced at the timeout, how many deferred replies were abandoned
 * then, and what input was thrown away. Modelled on Go's {@code net/http}
 * {@code Server.Shutdown} (close idle connections at once, wait for active ones).
 */
public final class ShutdownReport {
    private final int openAtStart;
    private final int idleClosed;
    private final int drainedWithReplies;
    private final int forced;
    private final int repliesAbandoned;
    private final long partialFrameBytesDiscarded;
    private final long inputBytesDiscarded;
    private final Duration elapsed;
    private final boolean timedOut;
    private final Throwable loopFailure;

    /**
     * @param openAtStart connections open when the drain began
     * @param idleClosed connections that owed nothing and were closed at once
     * @param drainedWithReplies connections that were owed output or deferred replies and
     *     closed cleanly after sending them, within the timeout
     * @param forced connections force-closed at the timeout (or by {@code shutdownNow()})
     * @param repliesAbandoned deferred replies still outstanding at the timeout, released unsent
     * @param partialFrameBytesDiscarded bytes of unfinished frames dropped when the drain began
     * @param inputBytesDiscarded bytes that arrived after the drain began and were thrown away
     * @param elapsed time from the call to the end of the shutdown
     * @param timedOut true when the drain did not finish in time
     * @param loopFailure the error an event loop died of, which caused or marred the shutdown,
     *     or null
     */
    public ShutdownReport(int openAtStart, int idleClosed, int drainedWithReplies, int forced,
            int repliesAbandoned, long partialFrameBytesDiscarded, long inputBytesDiscarded,
            Duration elapsed, boolean timedOut, Throwable loopFailure) {
        this.openAtStart = openAtStart;
        this.idleClosed = idleClosed;
        this.drainedWithReplies = drainedWithReplies;
        this.forced = forced;
        this.repliesAbandoned = repliesAbandoned;
        this.partialFrameBytesDiscarded = partialFrameBytesDiscarded;
        this.inputBytesDiscarded = inputBytesDiscarded;
        this.elapsed = elapsed;
        this.timedOut = timedOut;
        this.loopFailure = loopFailure;
    }

    /** @return connections open when the drain began (including ones accepted just before) */
    public int openAtStart() {
        return openAtStart;
    }

    /** @return connections that closed cleanly: {@link #idleClosed()} + {@link #drainedWithReplies()} */
    public int drained() {
        return idleClosed + drainedWithReplies;
    }

    /** @return connections that owed nothing when the drain reached them and closed at once */
    public int idleClosed() {
        return idleClosed;
    }

    /** @return connections that were owed replies and closed after sending all of them */
    public int drainedWithReplies() {
        return drainedWithReplies;
    }

    /** @return connections that were force-closed */
    public int forced() {
        return forced;
    }

    /** @return deferred replies still outstanding at the timeout and released without sending */
    public int repliesAbandoned() {
        return repliesAbandoned;
    }

    /** @return bytes of partial frames (lines without their newline yet) that were dropped */
    public long partialFrameBytesDiscarded() {
        return partialFrameBytesDiscarded;
    }

    /** @return bytes read and ignored after the drain began */
    public long inputBytesDiscarded() {
        return inputBytesDiscarded;
    }

    /** @return how long the shutdown took */
    public Duration elapsed() {
        return elapsed;
    }

    /** @return true when the timeout expired before every connection drained */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * @return the unexpected error an event loop died of (the server then shut itself down), or
     *     null when every loop ran until asked to stop
     */
    public Throwable loopFailure() {
        return loopFailure;
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
        return "shutdown: " + openAtStart + " connections open, " + drained() + " drained (" + idleClosed
                + " idle closed, " + drainedWithReplies + " after their replies), " + forced + " forced, "
                + repliesAbandoned + " replies abandoned at the timeout, " + partialFrameBytesDiscarded
                + " bytes of partial frames discarded, " + inputBytesDiscarded + " bytes of input discarded, took "
                + elapsed.toMillis() + " ms" + (timedOut ? " (drain timed out)" : "")
                + (loopFailure != null ? "; an event loop failed: " + loopFailure : "");
    }
}
