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
     * Finds every line in one pass, eight bytes at a time: each word is read once, and all the
     * newlines in it are taken from its zero-byte mask, lowest first. Per line this costs a bit
     * scan and three stores, instead of a call and a fresh search.
     */
    @Override
    public int nextBatch(ByteBuffer buf, int from, int to, FrameBatch frames) throws FrameTooLongException {
        boolean little = buf.order() == ByteOrder.LITTLE_ENDIAN;
        int max = maxLength;
        int start = from; // first byte of the line being scanned
        int i = from + scanned;
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
                    return tooLong(frames, start);
                }
                int lineStart = start;
                start = nl + 1;
                if (!frames.add(lineStart, end, start)) {
                    scanned = 0;
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
                    return tooLong(frames, start);
                }
                int lineStart = start;
                start = i + 1;
                if (!frames.add(lineStart, end, start)) {
                    scanned = 0;
                    return start;
                }
            }
        }
        int pending = to - start;
        if (pending > max && (pending > max + 1 || buf.get(to - 1) != '\r')) {
            return tooLong(frames, start);
        }
        scanned = pending;
        return start;
    }

    /** Delivers the lines before an overlong one first; the next call reports it. */
    private int tooLong(FrameBatch frames, int start) throws FrameTooLongException {
        scanned = 0;
        if (frames.count() > 0) {
            return start;
        }
        throw new FrameTooLongException("line", maxLength);
    }

    /**
     * Finds the first {@code '\n'} in {@code buf[from, to)} eight bytes at a time.
     *
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
