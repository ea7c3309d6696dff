package io.pollwire;

import java.time.Duration;

/**
 * What a graceful shutdown did: how many connections were open when it began, how many
 * drained cleanly, how many had to be forced when the timeout expired, and what input was
 * thrown away.
 */
public final class ShutdownReport {
    private final int openAtStart;
    private final int drained;
    private final int forced;
    private final long partialFrameBytesDiscarded;
    private final long inputBytesDiscarded;
    private final Duration elapsed;
    private final boolean timedOut;
    private final Throwable loopFailure;

    /**
     * @param openAtStart connections open when the drain began
     * @param drained connections that closed cleanly within the timeout
     * @param forced connections force-closed at the timeout (or by {@code shutdownNow()})
     * @param partialFrameBytesDiscarded bytes of unfinished frames dropped when the drain began
     * @param inputBytesDiscarded bytes that arrived after the drain began and were thrown away
     * @param elapsed time from the call to the end of the shutdown
     * @param timedOut true when the drain did not finish in time
     * @param loopFailure the error an event loop died of, which caused or marred the shutdown,
     *     or null
     */
    public ShutdownReport(int openAtStart, int drained, int forced, long partialFrameBytesDiscarded,
            long inputBytesDiscarded, Duration elapsed, boolean timedOut, Throwable loopFailure) {
        this.openAtStart = openAtStart;
        this.drained = drained;
        this.forced = forced;
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

    /** @return connections that closed cleanly during the drain */
    public int drained() {
        return drained;
    }

    /** @return connections that were force-closed */
    public int forced() {
        return forced;
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

    /** @return true when every connection drained, none had to be forced and no loop failed */
    public boolean isClean() {
        return forced == 0 && loopFailure == null;
    }

    @Override
    public String toString() {
        return "shutdown: " + openAtStart + (openAtStart == 1 ? " connection" : " connections")
                + " open, " + drained + " drained, " + forced
                + " forced, " + partialFrameBytesDiscarded + " bytes of partial frames discarded, "
                + inputBytesDiscarded + " bytes of input discarded, took " + elapsed.toMillis() + " ms"
                + (timedOut ? " (drain timed out)" : "")
                + (loopFailure != null ? "; an event loop failed: " + loopFailure : "");
    }
}
