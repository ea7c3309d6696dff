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
    private long bufferBudget;
    private long peakBufferedBytes;
    private long shedConnections;
    private long allocationFailures;

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

    /**
     * @param bufferBudget the server's {@code maxBufferedBytes}
     * @param peakBufferedBytes the most bytes of partial frames and queued output held at once
     * @param shedConnections connections closed ({@code OVERLOADED}) to stay within the budget
     * @param allocationFailures connections closed because an allocation for them failed
     * @return a copy of this report with the memory figures set
     */
    public ShutdownReport withMemory(long bufferBudget, long peakBufferedBytes, long shedConnections,
            long allocationFailures) {
        ShutdownReport r = new ShutdownReport(openAtStart, drained, forced, partialFrameBytesDiscarded,
                inputBytesDiscarded, elapsed, timedOut, loopFailure);
        r.bufferBudget = bufferBudget;
        r.peakBufferedBytes = peakBufferedBytes;
        r.shedConnections = shedConnections;
        r.allocationFailures = allocationFailures;
        return r;
    }

    /** @return the server-wide budget for partial frames and queued output, bytes; 0 if unknown */
    public long bufferBudget() {
        return bufferBudget;
    }

    /** @return the most bytes of partial frames and queued output held at once, all connections */
    public long peakBufferedBytes() {
        return peakBufferedBytes;
    }

    /** @return connections closed with {@code OVERLOADED} because the budget had no room for them */
    public long shedConnections() {
        return shedConnections;
    }

    /**
     * @return connections closed because allocating memory on their behalf failed
     *     ({@link OutOfMemoryError} from a buffer or a handler): each cost its connection only
     */
    public long allocationFailures() {
        return allocationFailures;
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
        return "shutdown: " + openAtStart + " connections open, " + drained + " drained, " + forced
                + " forced, " + partialFrameBytesDiscarded + " bytes of partial frames discarded, "
                + inputBytesDiscarded + " bytes of input discarded, took " + elapsed.toMillis() + " ms"
                + (timedOut ? " (drain timed out)" : "")
                + (bufferBudget > 0 ? "; buffered at most " + peakBufferedBytes + " of " + bufferBudget
                        + " budget bytes, " + shedConnections + " connections shed, " + allocationFailures
                        + " closed on allocation failure" : "")
                + (loopFailure != null ? "; an event loop failed: " + loopFailure : "");
    }
}
