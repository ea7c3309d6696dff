// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Drives a framer the way the event loop does ({@code ConnectionInput.read/process}, {@code PartialFrame.keep}):
 * each read appends to the bytes kept from the last one, which are first copied to the front
 * of one shared buffer; {@code next} is called until it needs more; what is left is kept (at
 * most {@link Framing#maxFrameBytes()} bytes, or the connection fails); the first framing error
 * ends the stream.
 *
 * <p>Stricter than the loop where a framer bug would otherwise go unnoticed: every call is
 * checked against the {@link Framer} contract (progress, bounds, buffer position/limit/order
 * untouched), the bytes around {@code [from, to)} are overwritten with junk so that reading
 * outside the range shows, and optionally the kept bytes are moved to a random offset instead
 * of 0 and the buffer is a big-endian heap buffer instead of the loop's little-endian direct one.
 */
public final class FramerHarness {
    /** How unlike the event loop the harness may be, to flush out hidden assumptions. */
    public enum Mode {
        /** Exactly the loop's buffer: direct, little-endian, partial frames moved to index 0. */
        LOOP,
        /** Heap, big-endian, partial frames moved to a random offset. */
        HOSTILE;
    }

    private static final int MAX_SHIFT = 37;
    private static final int JUNK = 8;

    private final Framing framing;
    private final Framer framer;
    private final ByteBuffer buf;
    private final boolean shift;
    private final Random random;
    private byte[] kept = new byte[0];
    private int keptLength;
    private final Outcome outcome = new Outcome();
    private boolean ended;

    /**
     * @param readSize the loop's read buffer size; its buffer holds {@code readSize +
     *     maxFrameBytes} bytes
     */
    FramerHarness(Framing framing, Mode mode, int readSize, long seed) {
        this.framing = framing;
        this.framer = framing.newFramer();
        this.random = new Random(seed);
        this.shift = mode == Mode.HOSTILE;
        int capacity = readSize + framing.maxFrameBytes() + (shift ? MAX_SHIFT : 0);
        this.buf = mode == Mode.LOOP
                ? ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN)
                : ByteBuffer.allocate(capacity).order(ByteOrder.BIG_ENDIAN);
        junk(0, capacity);
    }

    /** Decodes {@code stream} delivered in reads of the given sizes (cycled), then ends it. */
    public static Outcome run(Framing framing, Mode mode, byte[] stream, int[] readSizes, long seed) {
        FramerHarness h = new FramerHarness(framing, mode, 1024, seed);
        int at = 0;
        int k = 0;
        while (at < stream.length && !h.ended) {
            int want = Math.min(readSizes[k++ % readSizes.length], stream.length - at);
            at += h.read(stream, at, Math.max(1, want));
        }
        return h.end();
    }

    /**
     * One read of up to {@code length} bytes: fewer when the buffer has no more room, like
     * {@code socket.read(in, base, capacity - base)}.
     *
     * @return bytes taken
     */
    int read(byte[] src, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("stream already ended by a framing error");
        }
        int base = shift ? random.nextInt(MAX_SHIFT + 1) : 0;
        buf.put(base, kept, 0, keptLength);
        int from = base + keptLength;
        int n = Math.min(length, buf.capacity() - from);
        if (n <= 0) {
            throw new AssertionError("no room to read: " + keptLength + " bytes kept in a buffer of "
                    + buf.capacity());
        }
        buf.put(from, src, offset, n);
        junk(Math.max(0, base - JUNK), base);
        junk(from + n, Math.min(buf.capacity(), from + n + JUNK));
        process(base, from + n);
        return n;
    }

    /** The peer closed its side: what was kept becomes the partial frame. */
    Outcome end() {
        if (!ended) {
            ended = true;
            outcome.partial = java.util.Arrays.copyOf(kept, keptLength);
        }
        return outcome;
    }

    private void process(int pos, int end) {
        while (true) {
            // Absolute get(i) is bounded by the limit, so the loop passes limit >= to; the
            // position means nothing to a framer.
            int limit = end + random.nextInt(buf.capacity() - end + 1);
            int position = random.nextInt(limit + 1);
            buf.limit(limit).position(position);
            ByteOrder order = buf.order();
            if (random.nextBoolean()) {
                // the loop's call: nextBatch; mixed with next() on the same framer, since both
                // must keep the same partial-frame state
                int after = processBatch(pos, end, position, limit, order);
                if (after < 0) {
                    return; // framing error: the stream ended
                }
                if (after == pos) {
                    break; // needs more input
                }
                pos = after;
                continue;
            }
            int next;
            try {
                next = framer.next(buf, pos, end);
            } catch (FramingException e) {
                checkBufferUntouched(position, limit, order);
                buf.clear();
                outcome.error = e.getClass();
                outcome.errorMessage = e.getMessage();
                outcome.exception = e;
                ended = true;
                keptLength = 0;
                return;
            }
            checkBufferUntouched(position, limit, order);
            buf.clear(); // absolute bulk get/put are bounded by the limit
            if (next == Framer.NEED_MORE) {
                break;
            }
            int start = framer.frameStart();
            int stop = framer.frameEnd();
            if (next <= pos || next > end || start < pos || stop < start || stop > next) {
                throw new AssertionError(framer + " broke the contract: next(buf, " + pos + ", " + end
                        + ") returned " + next + " with frame [" + start + ", " + stop + ")");
            }
            byte[] content = new byte[stop - start];
            buf.get(start, content);
            byte[] raw = new byte[next - pos];
            buf.get(pos, raw);
            outcome.frames.add(new Outcome.Frame(content, raw));
            pos = next;
        }
        int length = end - pos;
        if (length > framing.maxFrameBytes()) {
            throw new AssertionError(framer + " kept " + length + " bytes without a frame, over maxFrameBytes "
                    + framing.maxFrameBytes() + " (the loop would fail the connection)");
        }
        if (kept.length < length) {
            kept = new byte[length];
        }
        buf.get(pos, kept, 0, length);
        keptLength = length;
    }

    /**
     * One {@link Framer#nextBatch} call into a batch of random capacity, checked frame by frame.
     *
     * @return where the next call starts ({@code pos} when more input is needed), or -1 after a
     *     framing error
     */
    private int processBatch(int pos, int end, int position, int limit, ByteOrder order) {
        FrameBatch batch = new FrameBatch(1 + random.nextInt(random.nextBoolean() ? 3 : 64));
        batch.clear(pos);
        int next;
        try {
            next = framer.nextBatch(buf, pos, end, batch);
        } catch (FramingException e) {
            checkBufferUntouched(position, limit, order);
            buf.clear();
            if (batch.count() > 0) {
                throw new AssertionError(framer + " threw from nextBatch after adding " + batch.count()
                        + " frames: those must be returned first", e);
            }
            outcome.error = e.getClass();
            outcome.errorMessage = e.getMessage();
            outcome.exception = e;
            ended = true;
            keptLength = 0;
            return -1;
        }
        checkBufferUntouched(position, limit, order);
        buf.clear();
        int listedBefore = batch.listedCount(); // before count(): 0 while a range is unlisted
        int n = batch.count();
        if ((listedBefore != 0 && listedBefore != n) || batch.listedCount() != n) {
            throw new AssertionError(framer + ": listedCount() said " + listedBefore + " then " + batch.listedCount()
                    + " frames, count() lists " + n);
        }
        if (n == 0) {
            if (next != pos) {
                throw new AssertionError(framer + ".nextBatch found no frame but returned " + next + ", not " + pos);
            }
            return pos;
        }
        int at = pos;
        for (int i = 0; i < n; i++) {
            int start = batch.start(i);
            int stop = batch.end(i);
            int after = batch.next(i);
            if (batch.streamStart(i) != at || after <= at || after > end || start < at || stop < start
                    || stop > after) {
                throw new AssertionError(framer + " broke the contract: nextBatch frame " + i + " of " + n
                        + " from " + at + " is [" + start + ", " + stop + ") next " + after + " (end " + end + ")");
            }
            byte[] content = new byte[stop - start];
            buf.get(start, content);
            byte[] raw = new byte[after - at];
            buf.get(at, raw);
            outcome.frames.add(new Outcome.Frame(content, raw));
            at = after;
        }
        if (next != at) {
            throw new AssertionError(framer + ".nextBatch returned " + next + " but its last frame ends at " + at);
        }
        return at;
    }

    private void checkBufferUntouched(int position, int limit, ByteOrder order) {
        if (buf.position() != position || buf.limit() != limit || buf.order() != order) {
            throw new AssertionError(framer + " changed the buffer's position/limit/order (contract: absolute"
                    + " indices only)");
        }
    }

    private void junk(int from, int to) {
        for (int i = from; i < to; i += Long.BYTES) {
            if (to - i >= Long.BYTES) {
                buf.putLong(i, random.nextLong());
            } else {
                buf.put(i, (byte) random.nextInt());
            }
        }
    }
}
