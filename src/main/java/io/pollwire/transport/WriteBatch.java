// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import io.pollwire.transport.loader.NativeLibrary;
import io.pollwire.transport.unix.Iovec;
import java.nio.ByteBuffer;

/**
 * The segments of one gathering write, laid out for both kinds of transport: a native
 * {@code struct iovec} array in Java-owned memory for {@code writev}, and a {@code ByteBuffer[]}
 * for NIO's {@code GatheringByteChannel}. Owned by one event loop and reused for every write.
 */
public final class WriteBatch {
    private final int maxSegments;
    private final IoBuffer[] buffers;
    private final int[] offsets;
    private final int[] lengths;
    private final ByteBuffer[] nioViews;
    private final IoBuffer iov;
    private int count;
    private long totalBytes;

    /** @param maxSegments most segments one write carries (capped at the platform's IOV_MAX) */
    public WriteBatch(int maxSegments) {
        int max = NativeLibrary.isLoaded() ? Math.min(maxSegments, Iovec.MAX) : maxSegments;
        this.maxSegments = max;
        this.buffers = new IoBuffer[max];
        this.offsets = new int[max];
        this.lengths = new int[max];
        this.nioViews = new ByteBuffer[max];
        this.iov = NativeLibrary.isLoaded() ? IoBuffer.allocate(max * Iovec.SIZE) : null;
    }

    /** Empties the batch. */
    public void clear() {
        for (int i = 0; i < count; i++) {
            buffers[i] = null;
            nioViews[i] = null;
        }
        count = 0;
        totalBytes = 0;
    }

    /**
     * Appends a segment.
     *
     * @return false when the batch is full (the segment was not added)
     */
    public boolean add(IoBuffer buffer, int offset, int length) {
        if (count == maxSegments) {
            return false;
        }
        buffers[count] = buffer;
        offsets[count] = offset;
        lengths[count] = length;
        count++;
        totalBytes += length;
        return true;
    }

    /**
     * Appends a segment, merging it into the last one when it continues it in the same buffer
     * (consecutive echoed lines become one range).
     *
     * @return false when the batch is full (the segment was not added)
     */
    public boolean append(IoBuffer buffer, int offset, int length) {
        int last = count - 1;
        if (last >= 0 && buffers[last] == buffer && offsets[last] + lengths[last] == offset) {
            lengths[last] += length;
            totalBytes += length;
            return true;
        }
        return add(buffer, offset, length);
    }

    /** @return the buffer of segment {@code i} */
    public IoBuffer buffer(int i) {
        return buffers[i];
    }

    /** @return the offset of segment {@code i} */
    public int offset(int i) {
        return offsets[i];
    }

    /** @return the length of segment {@code i} */
    public int length(int i) {
        return lengths[i];
    }

    /** @return true when no more segments fit */
    public boolean isFull() {
        return count == maxSegments;
    }

    /** @return number of segments */
    public int count() {
        return count;
    }

    /** @return sum of the segment lengths */
    public long totalBytes() {
        return totalBytes;
    }

    /** Writes the iovec array for the segments and returns its address (native transports). */
    public long iovAddress() {
        ByteBuffer mem = iov.buffer();
        int size = Iovec.SIZE;
        boolean wide = size >= 16;
        for (int i = 0; i < count; i++) {
            int at = i * size;
            long base = buffers[i].address() + offsets[i];
            if (wide) {
                mem.putLong(at + Iovec.BASE_OFFSET, base);
                mem.putLong(at + Iovec.LEN_OFFSET, lengths[i]);
            } else {
                mem.putInt(at + Iovec.BASE_OFFSET, (int) base);
                mem.putInt(at + Iovec.LEN_OFFSET, lengths[i]);
            }
        }
        return iov.address();
    }

    /**
     * Positions a view of each segment's buffer for NIO and returns them (NIO transport). A
     * buffer holding several segments gets one view per segment, made once and reused.
     */
    public ByteBuffer[] nioBuffers() {
        for (int i = 0; i < count; i++) {
            IoBuffer owner = buffers[i];
            ByteBuffer b = owner.view(owner.uses++);
            b.limit(offsets[i] + lengths[i]).position(offsets[i]);
            nioViews[i] = b;
        }
        for (int i = 0; i < count; i++) {
            buffers[i].uses = 0;
        }
        return nioViews;
    }
}
