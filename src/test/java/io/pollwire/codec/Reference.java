// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * Simple, obviously correct decoders of a whole stream, one per framing, written without the
 * framers' tricks (no incremental state, no SWAR, BigInteger arithmetic) to check them against.
 * Each states the framing's rules once, including the exact moment a frame becomes hopeless.
 */
public interface Reference {
    Outcome decode(byte[] s);

    static Reference fixedLength(int n) {
        return s -> {
            Outcome o = new Outcome();
            int p = 0;
            while (s.length - p >= n) {
                o.frame(s, p, p + n, p, p + n);
                p += n;
            }
            return o.partial(s, p);
        };
    }

    /** Lines end at '\n'; a '\r' before it is not content; content over max is an error. */
    static Reference lines(int max) {
        return s -> {
            Outcome o = new Outcome();
            int p = 0;
            while (true) {
                int c = p;
                while (c < s.length && s[c] != '\n') {
                    c++;
                }
                if (c == s.length) {
                    int rest = s.length - p;
                    // Still possible: content <= max, or max content plus a '\r' awaiting its '\n'.
                    boolean hopeless = rest > max + 1 || (rest == max + 1 && s[s.length - 1] != '\r');
                    return hopeless ? o.fail(FrameTooLongException.class) : o.partial(s, p);
                }
                int end = c > p && s[c - 1] == '\r' ? c - 1 : c;
                if (end - p > max) {
                    return o.fail(FrameTooLongException.class);
                }
                o.frame(s, p, end, p, c + 1);
                p = c + 1;
            }
        };
    }

    /**
     * Frames end at the first occurrence of the delimiter; content over max is an error. At the
     * end of the stream the frame is hopeless when no delimiter consistent with the bytes seen
     * (fully present, or a prefix running into the end) can start within max bytes of it.
     */
    static Reference delimiter(byte[] d, int max) {
        return s -> {
            Outcome o = new Outcome();
            int p = 0;
            while (true) {
                int found = -1;
                for (int c = p; c + d.length <= s.length && found < 0; c++) {
                    if (matches(s, c, d, d.length)) {
                        found = c;
                    }
                }
                if (found >= 0) {
                    if (found - p > max) {
                        return o.fail(FrameTooLongException.class);
                    }
                    o.frame(s, p, found, p, found + d.length);
                    p = found + d.length;
                    continue;
                }
                for (int c = p; c <= Math.min((long) p + max, s.length); c++) {
                    if (matches(s, c, d, Math.min(d.length, s.length - c))) {
                        return o.partial(s, p);
                    }
                }
                return o.fail(FrameTooLongException.class);
            }
        };
    }

    private static boolean matches(byte[] s, int at, byte[] d, int count) {
        for (int k = 0; k < count; k++) {
            if (s[at + k] != d[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * total = offset + width + value + adjustment, checked as soon as the header is there:
     * over max is too long; under the header is a negative length; under strip is an error.
     */
    static Reference lengthField(LengthFieldFraming f) {
        return s -> {
            Outcome o = new Outcome();
            int header = f.fieldOffset() + f.fieldWidth();
            int p = 0;
            while (true) {
                if (s.length - p < header) {
                    return o.partial(s, p);
                }
                byte[] field = new byte[f.fieldWidth()];
                for (int k = 0; k < field.length; k++) {
                    int at = f.byteOrder() == ByteOrder.BIG_ENDIAN ? k : field.length - 1 - k;
                    field[k] = s[p + f.fieldOffset() + at];
                }
                BigInteger value = new BigInteger(1, field);
                BigInteger total = value.add(BigInteger.valueOf((long) f.lengthAdjustment() + header));
                if (total.compareTo(BigInteger.valueOf(f.maxFrameLength())) > 0) {
                    return o.fail(FrameTooLongException.class);
                }
                if (total.compareTo(BigInteger.valueOf(header)) < 0) {
                    return o.fail(FramingException.class);
                }
                int length = total.intValueExact();
                if (length < f.stripBytes()) {
                    return o.fail(FramingException.class);
                }
                if (s.length - p < length) {
                    return o.partial(s, p);
                }
                o.frame(s, p + f.stripBytes(), p + length, p, p + length);
                p += length;
            }
        };
    }
}
