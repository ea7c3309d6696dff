// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import java.nio.ByteBuffer;

/**
 * Integers in RESP: parsed exactly as Redis's {@code string2ll} (util.c) accepts them, so that
 * the same inputs are refused with the same errors, and formatted without allocating.
 *
 * <p>Accepted: {@code 0}, or an optional {@code -} then a digit 1-9 then digits, at most 20
 * characters, within the range of a {@code long}. Refused: empty, {@code +1}, {@code 01},
 * {@code -0}, spaces, anything longer or out of range.
 */
final class RespNumbers {
    /** Redis's LONG_STR_SIZE: 21; strings of that length or more are refused. */
    private static final int MAX_CHARS = 20;

    private RespNumbers() {}

    /** @return true when {@code buf[start, end)} is an integer {@code string2ll} accepts */
    static boolean isLong(ByteBuffer buf, int start, int end) {
        int n = end - start;
        if (n <= 0 || n > MAX_CHARS) {
            return false;
        }
        if (n == 1 && buf.get(start) == '0') {
            return true;
        }
        int p = start;
        boolean negative = buf.get(p) == '-';
        if (negative && ++p == end) {
            return false;
        }
        int d = buf.get(p) - '0';
        if (d < 1 || d > 9) {
            return false;
        }
        long v = -d; // accumulate negatively: Long.MIN_VALUE has no positive twin
        for (p++; p < end; p++) {
            d = buf.get(p) - '0';
            if (d < 0 || d > 9 || v < Long.MIN_VALUE / 10) {
                return false;
            }
            v *= 10;
            if (v < Long.MIN_VALUE + d) {
                return false;
            }
            v -= d;
        }
        return negative || v != Long.MIN_VALUE;
    }

    /** @return the value of {@code buf[start, end)}, which {@link #isLong} accepted */
    static long parse(ByteBuffer buf, int start, int end) {
        if (end - start == 1 && buf.get(start) == '0') {
            return 0;
        }
        int p = start;
        boolean negative = buf.get(p) == '-';
        if (negative) {
            p++;
        }
        long v = 0;
        for (; p < end; p++) {
            v = v * 10 - (buf.get(p) - '0');
        }
        return negative ? v : -v;
    }

    /**
     * Writes {@code prefix}, the decimal digits of {@code value} and CRLF into {@code out} at 0.
     *
     * @param out at least 23 bytes
     * @return the number of bytes written
     */
    static int format(byte prefix, long value, byte[] out) {
        return format(prefix, value, out, 0);
    }

    /**
     * Writes {@code prefix}, the decimal digits of {@code value} and CRLF into {@code out} at
     * {@code at}.
     *
     * @return the number of bytes written
     */
    static int format(byte prefix, long value, byte[] out, int at) {
        out[at] = prefix;
        int end = digits(value, out, at + 1);
        out[end] = '\r';
        out[end + 1] = '\n';
        return end + 2 - at;
    }

    /**
     * Writes the decimal digits of {@code value} (and its sign) into {@code out} at {@code at}.
     *
     * @return the index after the last digit
     */
    static int digits(long value, byte[] out, int at) {
        int end = at + stringSize(value);
        long v = value < 0 ? value : -value; // negative: Long.MIN_VALUE has no positive twin
        int i = end;
        do {
            out[--i] = (byte) ('0' - (v % 10));
            v /= 10;
        } while (v != 0);
        if (value < 0) {
            out[--i] = '-';
        }
        return end;
    }

    /** @return the number of characters of {@code value} in decimal, sign included */
    static int stringSize(long value) {
        int n = value < 0 ? 1 : 0;
        long v = value;
        do {
            n++;
            v /= 10;
        } while (v != 0);
        return n;
    }
}
