package io.pollwire.shutdown;

/**
 * What an event loop reports to the shutdown coordinator while the server drains. Called on
 * the loop's thread.
 */
public interface ShutdownHook {
    /**
     * Connections of this loop entered the drain (at the start, or accepted just before the
     * listener closed).
     *
     * @param count how many
     * @param partialFrameBytes bytes of unfinished frames they held, now discarded
     */
    void draining(int count, long partialFrameBytes);

    /**
     * A draining connection closed (the peer closed after our FIN, or it failed).
     *
     * @param discardedInputBytes bytes read and thrown away after the drain began
     */
    void drained(long discardedInputBytes);

    /** @return true once the drain timed out: late arrivals are closed at once */
    boolean forcing();
}
