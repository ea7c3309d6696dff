// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.nio.ByteBuffer;

/** Counts {@code '\n'} bytes eight at a time (SWAR), so counting is never what limits the client. */
final class Newlines {
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private Newlines() {}

    /** @return the number of {@code '\n'} in {@code buf[from, to)} (absolute indices) */
    static long count(ByteBuffer buf, int from, int to) {
        long n = 0;
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long x = buf.getLong(i) ^ NEWLINES;
            // high bit set exactly in the bytes of x that are zero, i.e. the newlines
            n += Long.bitCount(~(((x & LOW7) + LOW7) | x | LOW7));
        }
        for (; i < to; i++) {
            if (buf.get(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
