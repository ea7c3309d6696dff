// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Consecutive complete frames found by one {@link Framer#nextBatch} call. Frame {@code i} takes
 * the stream bytes {@code [streamStart(i), next(i))}; its content (without delimiter or header)
 * is {@code [start(i), end(i))}. Frames are contiguous: {@code streamStart(i + 1) == next(i)}.
 * Reused, so nothing is allocated per frame; owned by one event loop.
 *
 * <p>A framer may also describe a run of frames as a <em>range</em> ({@link #addRange}): it
 * proved that {@code [from, to)} holds only complete, valid frames without listing them. The
 * frames are listed only if someone asks for them ({@link #count()}, {@link #start(int)}...);
 * a handler that sends the whole batch back ({@code Frames.echoAll()}) never does, so its cost
 * per read does not grow with the number of frames.
 */
public final class FrameBatch {
    /** Lists the frames of a range on demand; see {@link #addRange}. */
    @FunctionalInterface
    public interface Lister {
        /**
         * Adds every frame of {@code buf[from, to)} to {@code into}, in order, with
         * {@link FrameBatch#add}. The range is known to hold only complete valid frames.
         *
         * @param buf the input buffer (absolute indices, position and limit untouched)
         * @param from index of the first byte of the range
         * @param to index after the last byte of the range
         * @param into the batch to add the frames to
         */
        void list(ByteBuffer buf, int from, int to, FrameBatch into);
    }

    private final int capacity;
    private int[] starts;
    private int[] ends;
    private int[] nexts;
    private int first;
    private int count;
    private int rangeEnd = -1;
    private ByteBuffer rangeBuffer;
    private Lister lister;
    private boolean listing;

    /** @param capacity the most frames one batch collects before the framer stops scanning */
    public FrameBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
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
        rangeEnd = -1;
        rangeBuffer = null;
        lister = null;
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
        if (c == nexts.length) {
            if (!listing) {
                throw new IllegalStateException("batch full: stop adding when add() returns false");
            }
            int n = c * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            nexts = Arrays.copyOf(nexts, n);
        }
        starts[c] = start;
        ends[c] = end;
        nexts[c] = next;
        count = c + 1;
        return listing || c + 1 < capacity;
    }

    /**
     * Records that {@code buf[from, to)} holds only complete, valid frames, starting at the
     * batch's first frame, without listing them now. Allowed on an empty batch only; nothing may
     * be added after it.
     *
     * @param buf the buffer the frames are in (read only if they are listed)
     * @param to where the frame after the range begins
     * @param lister lists the frames of the range if someone asks
     */
    public void addRange(ByteBuffer buf, int to, Lister lister) {
        if (count != 0 || rangeEnd >= 0) {
            throw new IllegalStateException("addRange needs an empty batch");
        }
        if (to <= first) {
            throw new IllegalArgumentException("empty range [" + first + ", " + to + ")");
        }
        this.rangeBuffer = buf;
        this.rangeEnd = to;
        this.lister = lister;
    }

    private void list() {
        if (rangeEnd >= 0) {
            int to = rangeEnd;
            ByteBuffer buf = rangeBuffer;
            Lister l = lister;
            rangeEnd = -1;
            rangeBuffer = null;
            lister = null;
            listing = true;
            try {
                l.list(buf, first, to, this);
            } finally {
                listing = false;
            }
            if (count == 0 || nexts[count - 1] != to) {
                throw new IllegalStateException("lister " + l + " did not list the range it promised");
            }
        }
    }

    /** @return true when no frame was found (never lists a range) */
    public boolean isEmpty() {
        return count == 0 && rangeEnd < 0;
    }

    /** @return where the batch's first frame begins in the stream */
    public int streamStart() {
        return first;
    }

    /** @return where the frame after the batch's last one begins (never lists a range) */
    public int streamEnd() {
        return rangeEnd >= 0 ? rangeEnd : count == 0 ? first : nexts[count - 1];
    }

    /** @return the number of frames (lists a range first) */
    public int count() {
        list();
        return count;
    }

    /**
     * The frames listed so far, without listing: {@link #count()} once the batch is listed, 0
     * while it is still an unlisted range ({@link #addRange}). The loop's frame statistics read
     * it after the handler ran, so a range a handler passes back whole without looking at it
     * ({@code Frames.echoAll()}) costs no pass over its bytes ({@link #count()} would list it).
     *
     * @return frames listed, 0 or more
     */
    public int listedCount() {
        return rangeEnd >= 0 ? 0 : count;
    }

    /** @return true when no more frames fit */
    public boolean isFull() {
        return count >= capacity;
    }

    /** @return the capacity given at construction */
    public int capacity() {
        return capacity;
    }

    /**
     * @param i frame index, {@code 0 <= i < count()}
     * @return first byte of the content of frame {@code i}
     */
    public int start(int i) {
        list();
        return starts[i];
    }

    /**
     * @param i frame index, {@code 0 <= i < count()}
     * @return end (exclusive) of the content of frame {@code i}
     */
    public int end(int i) {
        list();
        return ends[i];
    }

    /**
     * @param i frame index, {@code 0 <= i < count()}
     * @return where the frame after frame {@code i} begins
     */
    public int next(int i) {
        list();
        return nexts[i];
    }

    /**
     * @param i frame index, {@code 0 <= i < count()}
     * @return where frame {@code i} begins in the stream (its header or first content byte)
     */
    public int streamStart(int i) {
        list();
        return i == 0 ? first : nexts[i - 1];
    }
}
