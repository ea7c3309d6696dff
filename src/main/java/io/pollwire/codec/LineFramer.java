// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Lines ending in {@code '\n'}; a {@code '\r'} right before it is not part of the frame. The
 * newline search reads eight bytes at a time (SWAR), and remembers how far a partial line was
 * scanned, so a long line arriving in many small reads is scanned once, not quadratically.
 */
public final class LineFramer extends Framer {
    private static final long NEWLINES = Bytes.broadcast((byte) '\n');

    private final int maxLength;
    private int scanned;

    /** @param maxLength the most content bytes a line may have */
    public LineFramer(int maxLength) {
        this.maxLength = maxLength;
    }

    @Override
    public int next(ByteBuffer buf, int from, int to) throws FrameTooLongException {
        int nl = indexOfNewline(buf, from + scanned, to);
        if (nl < 0) {
            int pending = to - from;
            scanned = pending;
            // max content + '\r' may still be valid if '\n' comes next; anything more is not.
            if (pending > maxLength && (pending > maxLength + 1 || buf.get(to - 1) != '\r')) {
                scanned = 0;
                throw new FrameTooLongException("line", maxLength);
            }
            return NEED_MORE;
        }
        scanned = 0;
        int end = nl > from && buf.get(nl - 1) == '\r' ? nl - 1 : nl;
        if (end - from > maxLength) {
            throw new FrameTooLongException("line", maxLength);
        }
        return frame(from, end, nl + 1);
    }

    /**
     * Finds every line of the read in one pass. When the first and the last newline alone prove
     * every line in between is within the limit (no gap between them is longer than the limit),
     * the lines are recorded as one range and listed only if the handler asks: an echo server
     * then pays two short scans per read, whatever the number of lines. Otherwise each 8-byte
     * word is read once and all its newlines are taken from one zero-byte mask.
     */
    @Override
    public int nextBatch(ByteBuffer buf, int from, int to, FrameBatch frames) throws FrameTooLongException {
        int max = maxLength;
        if (frames.isEmpty()) {
            int firstNl = indexOfNewline(buf, from + scanned, to);
            if (firstNl >= 0 && firstNl - from <= max) {
                int lastNl = Bytes.lastIndexOf(buf, (byte) '\n', firstNl, to);
                if (lastNl - firstNl - 1 <= max) {
                    frames.addRange(buf, lastNl + 1, LISTER);
                    return keepPartial(buf, lastNl + 1, to, frames);
                }
            }
        }
        int stop = scanLines(buf, from, from + scanned, to, frames, max);
        if (stop < 0) {
            return tooLong(frames, -stop - 1);
        }
        if (frames.isFull()) {
            scanned = 0;
            return stop;
        }
        return keepPartial(buf, stop, to, frames);
    }

    /** Lines of a range nextBatch proved valid, listed only when a handler asks for them. */
    private static final FrameBatch.Lister LISTER =
            (buf, from, to, into) -> scanLines(buf, from, from, to, into, Integer.MAX_VALUE);

    /**
     * Remembers how far the unfinished line {@code [start, to)} was scanned, failing it when it
     * is already too long (after the complete lines before it are delivered).
     */
    private int keepPartial(ByteBuffer buf, int start, int to, FrameBatch frames) throws FrameTooLongException {
        int pending = to - start;
        // max content + '\r' may still be valid if '\n' comes next; anything more is not.
        if (pending > maxLength && (pending > maxLength + 1 || buf.get(to - 1) != '\r')) {
            return tooLong(frames, start);
        }
        scanned = pending;
        return start;
    }

    /**
     * Adds the lines of {@code buf[start, to)} to {@code frames}, eight bytes at a time; bytes
     * {@code [start, i)} are known to hold no newline.
     *
     * @return where the first line not added starts (unfinished, or the batch is full), or
     *     {@code -(start) - 1} of a line over {@code max}
     */
    private static int scanLines(ByteBuffer buf, int start, int i, int to, FrameBatch frames, int max) {
        boolean little = buf.order() == ByteOrder.LITTLE_ENDIAN;
        int last = to - Long.BYTES;
        while (i <= last) {
            long w = buf.getLong(i);
            if (!little) {
                w = Long.reverseBytes(w); // byte k of the stream is now bits 8k..8k+7
            }
            long zeros = Bytes.zeroBytes(w ^ NEWLINES);
            while (zeros != 0) {
                int k = Long.numberOfTrailingZeros(zeros) >>> 3;
                int nl = i + k;
                byte before = k > 0 ? (byte) (w >>> ((k - 1) << 3)) : nl > start ? buf.get(nl - 1) : 0;
                int end = nl > start && before == '\r' ? nl - 1 : nl;
                if (end - start > max) {
                    return -start - 1;
                }
                int lineStart = start;
                start = nl + 1;
                if (!frames.add(lineStart, end, start)) {
                    return start;
                }
                zeros &= zeros - 1;
            }
            i += Long.BYTES;
        }
        for (; i < to; i++) {
            if (buf.get(i) == '\n') {
                int end = i > start && buf.get(i - 1) == '\r' ? i - 1 : i;
                if (end - start > max) {
                    return -start - 1;
                }
                int lineStart = start;
                start = i + 1;
                if (!frames.add(lineStart, end, start)) {
                    return start;
                }
            }
        }
        return start;
    }

    /** Delivers the lines before an overlong one first; the next call reports it. */
    private int tooLong(FrameBatch frames, int start) throws FrameTooLongException {
        scanned = 0;
        if (!frames.isEmpty()) {
            return start;
        }
        throw new FrameTooLongException("line", maxLength);
    }

    /**
     * Finds the first {@code '\n'} in {@code buf[from, to)} eight bytes at a time.
     *
     * @param buf the buffer to search (absolute indices, position and limit untouched)
     * @param from first index searched
     * @param to index after the last one searched
     * @return its index, or -1
     */
    public static int indexOfNewline(ByteBuffer buf, int from, int to) {
        return Bytes.indexOf(buf, (byte) '\n', from, to);
    }

    /** @return the configured maximum content length */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String toString() {
        return "LineFramer[max=" + maxLength + "]";
    }
}
