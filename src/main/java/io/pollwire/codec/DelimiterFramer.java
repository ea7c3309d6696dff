// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;

/**
 * Frames that end with a delimiter of one or more bytes, e.g. {@code "\r\n"}, a NUL, or
 * {@code "\r\n\r\n"}. The frame handed to the handler excludes the delimiter; an empty frame
 * (a delimiter right after the previous one) is valid.
 *
 * <p>The first delimiter byte is searched eight bytes at a time; the rest is compared where the
 * first byte matches. A delimiter split across two reads is found: a partial match at the end
 * of the buffered bytes is remembered and checked again when more bytes arrive, and the bytes
 * before it are never scanned twice.
 *
 * <p>Bounded: as soon as the buffered bytes prove that the content will exceed
 * {@code maxLength} (no delimiter, complete or partial, can start early enough), it throws
 * {@link FrameTooLongException}; at most {@code maxLength + delimiter.length - 1} bytes are ever
 * kept for a frame in progress.
 *
 * <pre>{@code
 * Framing crlf = Framing.delimiter(new byte[] {'\r', '\n'}, 8192);
 * Framing nul = Framing.delimiter(new byte[] {0}, 4096);
 * }</pre>
 */
public final class DelimiterFramer extends Framer {
    /**
     * The longest delimiter accepted: a partial match is compared byte by byte, so the worst
     * case costs {@code delimiter.length} comparisons per input byte.
     */
    public static final int MAX_DELIMITER_LENGTH = 256;

    private final byte[] delimiter;
    private final byte first;
    private final int maxLength;
    /** Bytes of the partial frame known not to start a delimiter: the search resumes there. */
    private int scanned;

    /**
     * @param delimiter the bytes ending each frame, 1 to {@link #MAX_DELIMITER_LENGTH} of them
     *     (copied)
     * @param maxLength the most content bytes a frame may have (the delimiter not counted), at
     *     least 0
     */
    public DelimiterFramer(byte[] delimiter, int maxLength) {
        checkArguments(delimiter, maxLength);
        this.delimiter = delimiter.clone();
        this.first = delimiter[0];
        this.maxLength = maxLength;
    }

    static void checkArguments(byte[] delimiter, int maxLength) {
        if (delimiter.length == 0 || delimiter.length > MAX_DELIMITER_LENGTH) {
            throw new IllegalArgumentException("delimiter must have 1.." + MAX_DELIMITER_LENGTH
                    + " bytes: " + delimiter.length);
        }
        if (maxLength < 0 || maxLength > Integer.MAX_VALUE - 16 - delimiter.length) {
            throw new IllegalArgumentException("maxLength must be in 0.."
                    + (Integer.MAX_VALUE - 16 - delimiter.length) + ": " + maxLength);
        }
    }

    @Override
    public int next(ByteBuffer buf, int from, int to) throws FrameTooLongException {
        int length = delimiter.length;
        int i = from + scanned;
        while (true) {
            int c = Bytes.indexOf(buf, first, i, to);
            if (c < 0) {
                scanned = to - from;
                break;
            }
            int matched = 1;
            while (matched < length && c + matched < to && buf.get(c + matched) == delimiter[matched]) {
                matched++;
            }
            if (matched == length) {
                scanned = 0;
                if (c - from > maxLength) {
                    throw new FrameTooLongException("frame", maxLength);
                }
                return frame(from, c, c + length);
            }
            if (c + matched == to) {
                // A delimiter may start here and end in bytes not read yet: the earliest one.
                scanned = c - from;
                break;
            }
            i = c + 1;
        }
        // No delimiter can start before from + scanned, so the content is at least that long.
        if (scanned > maxLength) {
            scanned = 0;
            throw new FrameTooLongException("frame", maxLength);
        }
        return NEED_MORE;
    }

    /** @return a copy of the delimiter */
    public byte[] delimiter() {
        return delimiter.clone();
    }

    /** @return the most content bytes a frame may have */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String toString() {
        return "DelimiterFramer[delimiter=" + hex(delimiter) + ", max=" + maxLength + "]";
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
