// SPDX-License-Identifier: Apache-2.0
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
     * A draining connection closed (its replies sent, or it failed).
     *
     * @param discardedInputBytes bytes read and thrown away after the drain began
     * @param afterReplies true when it was owed replies when the drain began, false when it was
     *     idle and closed at once
     */
    void drained(long discardedInputBytes, boolean afterReplies);

    /**
     * The drain timed out: deferred replies still outstanding were given up before the forced
     * close.
     *
     * @param replies how many
     */
    void abandoned(int replies);

    /** @return true once the drain timed out: late arrivals are closed at once */
    boolean forcing();
}
