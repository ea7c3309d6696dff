// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;

/**
 * Frames of exactly {@code length} bytes, back to back: the simplest framing, for records of a
 * fixed size. Nothing in the input can be invalid, so it never throws; a stream that ends
 * mid-record leaves a partial frame.
 *
 * <pre>{@code
 * Framing quotes = Framing.fixedLength(32);   // 32-byte records
 * }</pre>
 */
public final class FixedLengthFramer extends Framer {
    private final int length;

    /** @param length bytes per frame, at least 1 */
    public FixedLengthFramer(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
        this.length = length;
    }

    @Override
    public int next(ByteBuffer buf, int from, int to) {
        // Compared as a difference: from + length could overflow near Integer.MAX_VALUE.
        if (to - from < length) {
            return NEED_MORE;
        }
        int end = from + length;
        return frame(from, end, end);
    }

    /** @return bytes per frame */
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "FixedLengthFramer[length=" + length + "]";
    }
}
