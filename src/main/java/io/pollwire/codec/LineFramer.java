package io.pollwire.codec;

import java.nio.ByteBuffer;

/**
 * Lines ending in {@code '\n'}; a {@code '\r'} right before it is not part of the frame. The
 * newline search reads eight bytes at a time (SWAR), and remembers how far a partial line was
 * scanned, so a long line arriving in many small reads is scanned once, not quadratically.
 */
public final class LineFramer extends Framer {
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
