// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.WriteBatch;
import java.nio.ByteBuffer;

/**
 * The replies one read produces, sent with one (gathering) write once the read is processed:
 * echoed ranges of the input buffer go in by reference, other bytes are copied into a staging
 * buffer. One per loop, owned by one connection's output at a time, between {@link #begin}
 * and {@link #end}. What does not fit is written midway; what the kernel does not take lands in
 * the connection's {@link OutboundQueue}.
 */
final class ReplyBatch {
    private final IoBuffer staging;
    private int stagingPos;
    private final WriteBatch batch;
    /** Output of the connection whose read is being processed: its writes come here. */
    private ConnectionOutput owner;

    /**
     * @param stagingBytes capacity of the staging buffer
     * @param maxRanges ranges one gathering write takes
     */
    ReplyBatch(int stagingBytes, int maxRanges) {
        this.staging = IoBuffer.allocate(stagingBytes);
        this.batch = new WriteBatch(maxRanges);
    }

    /** @return true while {@code o}'s read is being processed */
    boolean ownedBy(ConnectionOutput o) {
        return owner == o;
    }

    /** Starts collecting the output of one connection's read. */
    void begin(ConnectionOutput o) {
        owner = o;
        batch.clear();
        stagingPos = 0;
    }

    /** Sends what the read produced, in one system call where possible. */
    void end(ConnectionOutput o) {
        owner = null;
        if (batch.count() > 0) {
            o.writeBatch(batch);
            batch.clear();
            stagingPos = 0;
        }
        o.afterChange();
    }

    /** Adds a range of the input buffer (an echoed frame) to the batch, without copying. */
    void stageInput(ConnectionOutput o, IoBuffer src, int offset, int length) {
        if (!batch.append(src, offset, length) && flushMidway(o)) {
            o.queueOrStage(src, offset, length);
        }
    }

    /** Copies bytes into the staging buffer and the batch. */
    void stageBytes(ConnectionOutput o, byte[] src, int offset, int length) {
        if (length > staging.capacity() - stagingPos || batch.isFull()) {
            if (!flushMidway(o)) {
                return;
            }
            if (length > staging.capacity() || !o.isEmpty()) {
                o.enqueue(src, offset, length);
                return;
            }
        }
        staging.buffer().put(stagingPos, src, offset, length);
        batch.append(staging, stagingPos, length);
        stagingPos += length;
    }

    /** Copies a buffer's remaining bytes into the staging buffer and the batch. */
    void stageBytes(ConnectionOutput o, ByteBuffer src) {
        int length = src.remaining();
        if (length > staging.capacity() - stagingPos || batch.isFull()) {
            if (!flushMidway(o)) {
                src.position(src.limit());
                return;
            }
            if (length > staging.capacity() || !o.isEmpty()) {
                o.enqueue(src);
                return;
            }
        }
        staging.buffer().put(stagingPos, src, src.position(), length);
        src.position(src.limit());
        batch.append(staging, stagingPos, length);
        stagingPos += length;
    }

    /** @return false when the write failed and closed the connection */
    private boolean flushMidway(ConnectionOutput o) {
        if (batch.count() > 0) {
            o.writeBatch(batch);
            batch.clear();
        }
        stagingPos = 0;
        return !o.connectionClosed();
    }
}
