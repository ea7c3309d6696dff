// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Byte searches over absolute ranges of a buffer, shared by the framers. */
final class Bytes {
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long ONES = 0x0101010101010101L;

    private Bytes() {}

    /** @return {@code b} repeated in all eight bytes of a word */
    static long broadcast(byte b) {
        return (b & 0xFFL) * ONES;
    }

    /**
     * The exact zero-byte test (no false positives, unlike the shorter {@code (x - ONES) & ~x}
     * form, so any byte order and any number of matches per word work).
     *
     * @return a word with 0x80 in every byte of {@code x} that is zero, 0 elsewhere
     */
    static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    /**
     * Finds the first {@code b} in {@code buf[from, to)}, eight bytes at a time (SWAR) where
     * eight remain. Reads with absolute indices only; works in either byte order.
     *
     * @return its index, or -1
     */
    static int indexOf(ByteBuffer buf, byte b, int from, int to) {
        int i = from;
        int last = to - Long.BYTES;
        if (i <= last) {
            long pattern = broadcast(b);
            boolean little = buf.order() == ByteOrder.LITTLE_ENDIAN;
            for (; i <= last; i += Long.BYTES) {
                long zeros = zeroBytes(buf.getLong(i) ^ pattern);
                if (zeros != 0) {
                    int bit = little ? Long.numberOfTrailingZeros(zeros) : Long.numberOfLeadingZeros(zeros);
                    return i + (bit >>> 3);
                }
            }
        }
        for (; i < to; i++) {
            if (buf.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds the last {@code b} in {@code buf[from, to)}, eight bytes at a time from the end.
     *
     * @return its index, or -1
     */
    static int lastIndexOf(ByteBuffer buf, byte b, int from, int to) {
        long pattern = broadcast(b);
        boolean little = buf.order() == ByteOrder.LITTLE_ENDIAN;
        int i = to - Long.BYTES;
        for (; i >= from; i -= Long.BYTES) {
            long w = buf.getLong(i);
            if (!little) {
                w = Long.reverseBytes(w); // byte k of the stream in bits 8k..8k+7
            }
            long zeros = zeroBytes(w ^ pattern);
            if (zeros != 0) {
                return i + ((63 - Long.numberOfLeadingZeros(zeros)) >>> 3);
            }
        }
        for (int j = i + Long.BYTES - 1; j >= from; j--) {
            if (buf.get(j) == b) {
                return j;
            }
        }
        return -1;
    }
}
