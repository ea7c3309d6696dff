package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes of one connection after its last complete frame (a partial frame), kept between
 * reads so that the framer always sees one contiguous range, like the cumulation of Netty's
 * {@code ByteToMessageDecoder} kept apart from the channel. Loop thread only.
 *
 * <p>A short partial frame is kept in a small array and copied to the front of the loop's
 * shared input buffer before the next read. A long one ({@link #SPILL_THRESHOLD}) stays in the
 * connection's own buffer and reads append to it, so a peer dripping a large frame byte by byte
 * costs no copy per read (copying it in and out of the shared buffer would cost the frame's
 * length every time). A connection that is not mid-frame holds no input buffer.
 */
final class PartialFrame {
    /** Partial frames longer than this move to the connection's own buffer. */
    static final int SPILL_THRESHOLD = 4096;

    private final int maxFrameBytes;
    private final int ownCapacity;
    /** A short partial frame, copied to the front of the loop's input buffer before each read. */
    private byte[] stash;
    private int stashLength;
    /** A long partial frame, in place: reads append to it. */
    private IoBuffer own;
    private ByteBuffer ownView;
    private int ownLength;

    /**
     * @param maxFrameBytes the framing's bound: keeping more than this without a frame fails
     * @param ownCapacity capacity of the connection's own buffer when it needs one (the size of
     *     the loop's shared input buffer)
     */
    PartialFrame(int maxFrameBytes, int ownCapacity) {
        this.maxFrameBytes = maxFrameBytes;
        this.ownCapacity = ownCapacity;
    }

    /**
     * @param shared the loop's input buffer
     * @return the buffer the next read goes into, the partial frame (if any) at its front, the
     *     read to start at {@link #readOffset()}
     */
    IoBuffer readTarget(IoBuffer shared) {
        if (own != null) {
            return own; // the partial frame is already in place
        }
        if (stashLength > 0) {
            shared.buffer().put(0, stash, 0, stashLength);
        }
        return shared;
    }

    /** @return where the next read starts in {@link #readTarget}: after the partial frame */
    int readOffset() {
        return own != null ? ownLength : stashLength;
    }

    /** @return the handler view of {@code src}: the own buffer's, or {@code sharedView} */
    ByteBuffer viewFor(IoBuffer src, ByteBuffer sharedView) {
        return src == own ? ownView : sharedView;
    }

    /**
     * Keeps {@code input[pos, end)}, what follows the last complete frame, for the next read.
     *
     * @param input the buffer just processed (the shared one or the own one)
     * @param serving false once the connection stopped handling input: nothing is kept
     * @param framer named in the error
     * @throws IOException when the framer kept more than {@code maxFrameBytes} without a frame
     */
    void keep(IoBuffer input, int pos, int end, boolean serving, Object framer) throws IOException {
        int length = serving ? end - pos : 0;
        if (length == 0) {
            drop();
            return;
        }
        int max = maxFrameBytes;
        if (length > max) {
            throw new IOException("framer " + framer + " kept " + length
                    + " bytes without a frame, over its maxFrameBytes " + max);
        }
        if (input == own) {
            if (pos > 0) { // frames completed: move the new partial frame to the front, once
                ByteBuffer v = own.buffer().duplicate();
                v.limit(end).position(pos);
                v.compact();
            }
            ownLength = length;
        } else if (length > SPILL_THRESHOLD) {
            if (own == null) {
                own = IoBuffer.allocate(ownCapacity);
                ownView = own.buffer().asReadOnlyBuffer().order(own.buffer().order());
            }
            own.buffer().put(0, input.buffer(), pos, length);
            ownLength = length;
            stashLength = 0;
        } else {
            if (stash == null || stash.length < length) {
                stash = new byte[Math.max(64, Math.min(SPILL_THRESHOLD, Integer.highestOneBit(length) << 1))];
            }
            input.buffer().get(pos, stash, 0, length);
            stashLength = length;
        }
    }

    /** Forgets the partial frame; a connection that is not mid-frame holds no input buffer. */
    void drop() {
        stashLength = 0;
        ownLength = 0;
        own = null;
        ownView = null;
    }

    /** Forgets the partial frame and the small array too: the connection reads no more. */
    void release() {
        stash = null;
        drop();
    }

    /** @return bytes of the partial frame kept */
    long bytes() {
        return stashLength + ownLength;
    }
}
