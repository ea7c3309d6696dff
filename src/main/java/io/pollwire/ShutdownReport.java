package io.pollwire;

import java.time.Duration;

/**
 * What a graceful shutdown did: how many connections were open when it began, how many
 * drained cleanly, how many had to be forced when the timeout expired, and what input was
 * thrown away. Returned by {@link Server#shutdown(Duration)} and its siblings.
 *
 * <p>The server makes reports; applications only read them. The canonical constructor is public
 * because Java requires it of a public record, not as an invitation: build one only to test code
 * that consumes reports.
 *
 * @param openAtStart connections open when the drain began (including ones accepted just
 *     before the listeners closed)
 * @param drained connections that closed cleanly within the timeout
 * @param forced connections force-closed at the timeout (or by {@link Server#shutdownNow()})
 * @param partialFrameBytesDiscarded bytes of unfinished frames (lines without their newline
 *     yet) dropped when the drain began
 * @param inputBytesDiscarded bytes that arrived after the drain began and were thrown away
 * @param elapsed time from the call to the end of the shutdown
 * @param timedOut true when the drain timeout expired before every connection drained
 * @param loopFailure the unexpected error an event loop died of (the server then shut itself
 *     down), or null when every loop ran until asked to stop
 */
public record ShutdownReport(int openAtStart, int drained, int forced, long partialFrameBytesDiscarded,
        long inputBytesDiscarded, Duration elapsed, boolean timedOut, Throwable loopFailure) {

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
