// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import java.nio.ByteBuffer;

/**
 * The complete frames one read produced for a connection, in order: what
 * {@link ConnectionHandler#onFrames} receives. Valid only during that call.
 *
 * <pre>{@code
 * public void onFrames(Connection conn, Frames frames) {
 *     frames.echoAll();                        // an echo server: one range, no copy, no loop
 * }
 * }</pre>
 */
public interface Frames {
    /** @return how many frames there are (at least 1) */
    int count();

    /**
     * Selects frame {@code i}: returns a read-only view of its content (delimiter or header
     * excluded) and makes it the frame {@link Connection#echo()} sends back.
     *
     * @param i 0 to {@code count() - 1}
     * @return the view, valid until the next {@code get} or the end of the callback
     */
    ByteBuffer get(int i);

    /**
     * Sends frames {@code [from, to)} back exactly as they arrived, delimiters included, as
     * one range of the input buffer: no copy, one write for the whole read.
     *
     * @param from first frame
     * @param to end (exclusive)
     */
    void echo(int from, int to);

    /** Sends every frame back exactly as it arrived: {@code echo(0, count())}. */
    default void echoAll() {
        echo(0, count());
    }
}
