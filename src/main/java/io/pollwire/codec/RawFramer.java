// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;

/**
 * No framing: whatever bytes a read brought are one frame, as they came (a proxy, a tunnel, a
 * byte-stream protocol handled by the application). It never buffers a partial frame, never
 * throws and allocates nothing; a frame is never empty and at most one read long.
 *
 * <pre>{@code
 * Framing.raw()   // reads "GET / HT", "TP/1.1\r\n\r\n" -> the same two frames
 * }</pre>
 */
public final class RawFramer extends Framer {
    /** One per connection; {@link Framing#raw()} makes them. */
    public RawFramer() {}

    @Override
    public int next(ByteBuffer buf, int from, int to) {
        return from < to ? frame(from, to, to) : NEED_MORE;
    }

    @Override
    public String toString() {
        return "RawFramer";
    }
}
