package io.pollwire.codec;

/**
 * Consecutive complete frames found by one {@link Framer#nextBatch} call. Frame {@code i} takes
 * the stream bytes {@code [streamStart(i), next(i))}; its content (without delimiter or header)
 * is {@code [start(i), end(i))}. Frames are contiguous: {@code streamStart(i + 1) == next(i)}.
 * Reused, so nothing is allocated per frame; owned by one event loop.
 */
public final class FrameBatch {
    private final int[] starts;
    private final int[] ends;
    private final int[] nexts;
    private int first;
    private int count;

    /** @param capacity the most frames one batch holds */
    public FrameBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.starts = new int[capacity];
        this.ends = new int[capacity];
        this.nexts = new int[capacity];
    }

    /**
     * Empties the batch.
     *
     * @param from where the first frame added next begins in the stream
     */
    public void clear(int from) {
        first = from;
        count = 0;
    }

    /**
     * Appends the frame that begins where the previous one ended.
     *
     * @param start first byte of its content (after any header)
     * @param end end (exclusive) of its content (before any delimiter)
     * @param next where the following frame begins
     * @return false when the batch is full after this frame: stop scanning
     */
    public boolean add(int start, int end, int next) {
        int c = count;
        starts[c] = start;
        ends[c] = end;
        nexts[c] = next;
        count = c + 1;
        return c + 1 < nexts.length;
    }

    /** @return the number of frames */
    public int count() {
        return count;
    }

    /** @return true when no more frames fit */
    public boolean isFull() {
        return count == nexts.length;
    }

    /** @return the capacity given at construction */
    public int capacity() {
        return nexts.length;
    }

    /** @return first byte of the content of frame {@code i} */
    public int start(int i) {
        return starts[i];
    }

    /** @return end (exclusive) of the content of frame {@code i} */
    public int end(int i) {
        return ends[i];
    }

    /** @return where the frame after frame {@code i} begins */
    public int next(int i) {
        return nexts[i];
    }

    /** @return where frame {@code i} begins in the stream (its header or first content byte) */
    public int streamStart(int i) {
        return i == 0 ? first : nexts[i - 1];
    }
}
