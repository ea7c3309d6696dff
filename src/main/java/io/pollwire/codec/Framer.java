// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;

/**
 * A per-connection state machine that cuts a byte stream into frames: the framer SPI.
 *
 * <p>The event loop keeps a connection's unconsumed bytes contiguous in a buffer and calls
 * {@link #next} over them. A framer reports one complete frame at a time, by index, without
 * copying: the frame's content is {@code buf[frameStart(), frameEnd())}, and the next frame
 * starts at the index {@code next} returns (after any delimiter or trailer). When no complete
 * frame is buffered it returns {@link #NEED_MORE}; the loop reads more bytes, appends them and
 * calls again with the same partial frame starting at {@code from} (possibly at a different
 * {@code from} index, since the loop may move the bytes: keep progress relative to it).
 *
 * <p>How the loop drives a framer (one connection, one thread, never concurrently):
 * <ol>
 *   <li>After each read it calls {@code next(buf, from, to)} until it returns
 *       {@link #NEED_MORE}; after each frame, {@code from} is the index that call returned.
 *   <li>The bytes {@code [from, to)} of a {@link #NEED_MORE} are presented again on the next
 *       call, followed by new ones: the same bytes, at the same offsets relative to
 *       {@code from}, although {@code from} itself may differ (the loop moves a partial frame
 *       to the front of its buffer between reads). Never keep absolute indices across calls.
 *   <li>A {@link FramingException} ends the connection: the handler's
 *       {@code onFramingError} may reply, then it is closed and the framer discarded.
 *   <li>At end of stream, bytes left over are handed to the handler's {@code onPartialFrame}.
 * </ol>
 *
 * <p>The contract that keeps pollwire fast and bounded:
 * <ul>
 *   <li><b>No allocation</b> on the normal path: no per-frame objects, no copies.
 *   <li><b>Absolute indices only</b>: never change the buffer's position, limit or byte order;
 *       use {@code buf.get(i)}, {@code buf.getInt(i)}... The buffer's byte order is not
 *       specified: assemble multi-byte fields in the order your protocol defines.
 *   <li><b>Only {@code [from, to)}</b>: bytes outside it belong to other frames or to nobody.
 *   <li><b>Progress</b>: a frame is never empty in the stream ({@code next > from}); its
 *       content may be empty ({@code frameStart == frameEnd}) and lies within
 *       {@code [from, next)}, with {@code next <= to}.
 *   <li><b>Bounded</b>: throw a {@link FramingException} as soon as the buffered partial frame
 *       can no longer become valid, and never let it exceed {@link Framing#maxFrameBytes()}
 *       (the loop sizes its buffer by that bound and closes a connection that passes it).
 *   <li><b>Incremental</b>: remember how far a partial frame was examined (relative to
 *       {@code from}) so that a frame arriving in many small reads is scanned once, not once
 *       per read.
 * </ul>
 *
 * <p>pollwire's own framers follow this contract: {@link LineFramer}, {@link FixedLengthFramer},
 * {@link DelimiterFramer}, {@link LengthFieldFramer}; so does the request framer of the HTTP
 * example ({@code io.pollwire.example.http.HttpRequestFramer}), which parses a request head
 * and then waits for a {@code Content-Length} body.
 *
 * <p>A minimal custom framer, for records that end with a zero byte:
 *
 * <pre>{@code
 * final class ZeroTerminated extends Framer {
 *     private final int max;
 *     private int scanned;             // bytes of the partial frame known to hold no 0
 *
 *     ZeroTerminated(int max) { this.max = max; }
 *
 *     public int next(ByteBuffer buf, int from, int to) throws FramingException {
 *         for (int i = from + scanned; i < to; i++) {
 *             if (buf.get(i) == 0) {
 *                 scanned = 0;
 *                 return frame(from, i, i + 1);    // content [from, i), next frame at i + 1
 *             }
 *             if (i - from >= max) {
 *                 throw new FrameTooLongException("record", max);
 *             }
 *         }
 *         scanned = to - from;
 *         return NEED_MORE;
 *     }
 * }
 * Framing records = Framing.custom(() -> new ZeroTerminated(4096), 4097);
 * }</pre>
 */
public abstract class Framer {
    /** Returned by {@link #next} when the buffered bytes do not yet hold a complete frame. */
    public static final int NEED_MORE = -1;

    private int frameStart;
    private int frameEnd;

    /** For subclasses: a framer is made per connection, by the {@code Framing}'s factory. */
    protected Framer() {}

    /**
     * Looks for the next complete frame in {@code buf[from, to)}.
     *
     * @param buf the connection's buffered input; read with absolute indices only
     * @param from where the next frame starts (all bytes before it are consumed)
     * @param to end of the buffered bytes (exclusive)
     * @return the index just past the frame, where the next one starts, after setting the
     *     frame's content bounds with {@link #frame}; or {@link #NEED_MORE}
     * @throws FramingException when these bytes can never form a valid frame
     */
    public abstract int next(ByteBuffer buf, int from, int to) throws FramingException;

    /**
     * Finds as many consecutive complete frames as fit in {@code frames}, starting at
     * {@code from}. The event loop calls this once per read, so a framer that can find many
     * frames in one pass (as {@link LineFramer} does, eight bytes at a time) saves a call per
     * frame. The default calls {@link #next} repeatedly.
     *
     * <p>When the bytes after some complete frames are invalid, this returns those frames and
     * leaves the error for the next call, which must report it (framers are deterministic).
     *
     * @param buf the connection's buffered input; read with absolute indices only
     * @param from where the next frame starts
     * @param to end of the buffered bytes (exclusive)
     * @param frames cleared by the caller; receives the frames found
     * @return where the first unconsumed byte is: {@code frames.streamEnd()}, or
     *     {@code from} when no complete frame was found
     * @throws FramingException when the first frame at {@code from} can never be valid
     */
    public int nextBatch(ByteBuffer buf, int from, int to, FrameBatch frames) throws FramingException {
        int pos = from;
        while (true) {
            int next;
            try {
                next = next(buf, pos, to);
            } catch (FramingException e) {
                if (!frames.isEmpty()) {
                    return pos; // deliver what came before; the next call meets the error again
                }
                throw e;
            }
            if (next < 0) {
                return pos;
            }
            pos = next;
            if (!frames.add(frameStart, frameEnd, next)) {
                return pos;
            }
        }
    }

    /**
     * Records the bounds of the frame found and returns {@code next}: the tail call of a
     * successful {@link #next}.
     *
     * @param start first byte of the frame's content
     * @param end end of the content (exclusive)
     * @param next where the following frame starts
     * @return {@code next}
     */
    protected final int frame(int start, int end, int next) {
        this.frameStart = start;
        this.frameEnd = end;
        return next;
    }

    /** @return first byte of the content of the frame last returned by {@link #next} */
    public final int frameStart() {
        return frameStart;
    }

    /** @return end (exclusive) of the content of the frame last returned by {@link #next} */
    public final int frameEnd() {
        return frameEnd;
    }
}
