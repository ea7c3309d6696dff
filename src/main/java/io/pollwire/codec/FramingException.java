// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

/**
 * The input cannot be cut into valid frames (a frame over its maximum, a malformed header).
 * The stream position is then lost, so the connection that sent it is closed; other
 * connections are not affected.
 */
public class FramingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, phrased for the peer (e.g. {@code line too long (max 10 bytes)}) */
    public FramingException(String message) {
        super(message);
    }
}
