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
 *
 * <p>A short reply costs one {@code System.arraycopy} into a heap array: consecutive copied
 * replies form one <em>run</em>, which is moved to the direct staging buffer and added to the
 * write batch as one segment when something else comes between (an echoed range) or the batch
 * is written. Copying each reply straight into the direct buffer cost more per reply than the
 * bytes: a bounds-checked, scope-checked {@code ByteBuffer.put} per call, byte by byte below
 * 7 bytes (the JDK's {@code JNI_COPY_FROM_ARRAY_THRESHOLD}), plus a batch segment per reply.
 */
final class ReplyBatch {
    private final IoBuffer staging;
    /** Where copied replies are collected before they move to {@link #staging}, run by run. */
    private final byte[] stagingArray;
    private int stagingPos;
    /** Start of the open run: copied bytes {@code [runStart, stagingPos)} not in the batch yet. */
    private int runStart;
    private final WriteBatch batch;
    /** Output of the connection whose read is being processed: its writes come here. */
    private ConnectionOutput owner;

    /**
     * @param stagingBytes capacity of the staging buffer
     * @param maxRanges ranges one gathering write takes
     */
    ReplyBatch(int stagingBytes, int maxRanges) {
        this.staging = IoBuffer.allocate(stagingBytes);
        this.stagingArray = new byte[stagingBytes];
        this.batch = new WriteBatch(maxRanges);
    }

    /** @return true while {@code o}'s read is being processed */
    boolean ownedBy(ConnectionOutput o) {
        return owner == o;
    }

    /**
     * @return the input buffer behind {@code src} when it is the frame view of the connection
     *     whose read is being processed, else null
     */
    IoBuffer inputBehind(ByteBuffer src) {
        ConnectionOutput o = owner;
        return o == null ? null : o.frameBuffer(src);
    }

    /** Starts collecting the output of one connection's read. */
    void begin(ConnectionOutput o) {
        owner = o;
        batch.clear();
        stagingPos = 0;
        runStart = 0;
    }

    /** Sends what the read produced, in one system call where possible. */
    void end(ConnectionOutput o) {
        owner = null;
        closeRun();
        if (batch.count() > 0) {
            o.writeBatch(batch);
            batch.clear();
        }
        stagingPos = 0;
        runStart = 0;
        o.afterChange();
    }

    /** Adds a range of the input buffer (an echoed frame) to the batch, without copying. */
    void stageInput(ConnectionOutput o, IoBuffer src, int offset, int length) {
        closeRun();
        if (!batch.append(src, offset, length) && flushMidway(o)) {
            o.queueOrStage(src, offset, length);
        }
    }

    /** Copies bytes into the staging run. */
    void stageBytes(ConnectionOutput o, byte[] src, int offset, int length) {
        if (!roomFor(o, length)) {
            if (!o.connectionClosed()) {
                o.enqueue(src, offset, length);
            }
            return;
        }
        System.arraycopy(src, offset, stagingArray, stagingPos, length);
        stagingPos += length;
    }

    /** Copies a buffer's remaining bytes into the staging run. */
    void stageBytes(ConnectionOutput o, ByteBuffer src) {
        int length = src.remaining();
        if (!roomFor(o, length)) {
            if (o.connectionClosed()) {
                src.position(src.limit());
            } else {
                o.enqueue(src);
            }
            return;
        }
        src.get(src.position(), stagingArray, stagingPos, length);
        src.position(src.limit());
        stagingPos += length;
    }

    /**
     * Makes room in the staging run for {@code length} more bytes, writing the batch midway if
     * need be.
     *
     * @return false when the bytes must be queued instead (too long for the staging buffer,
     *     output already queued by a midway write) or dropped (that write closed the connection)
     */
    private boolean roomFor(ConnectionOutput o, int length) {
        // a new run needs a free segment in the batch for when it closes
        if (length <= stagingArray.length - stagingPos && (stagingPos > runStart || !batch.isFull())) {
            return true;
        }
        return flushMidway(o) && length <= stagingArray.length && o.isEmpty();
    }

    /** Moves the open run to the direct staging buffer and adds it to the batch as one segment. */
    private void closeRun() {
        int n = stagingPos - runStart;
        if (n > 0) {
            staging.buffer().put(runStart, stagingArray, runStart, n);
            batch.append(staging, runStart, n); // a segment was free when the run began
            runStart = stagingPos;
        }
    }

    /** @return false when the write failed and closed the connection */
    private boolean flushMidway(ConnectionOutput o) {
        closeRun();
        if (batch.count() > 0) {
            o.writeBatch(batch);
            batch.clear();
        }
        stagingPos = 0;
        runStart = 0;
        return !o.connectionClosed();
    }
}
