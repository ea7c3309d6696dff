// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes a connection still has to send, in order, as a ring of pooled chunks. Only what the
 * kernel did not take at once lands here, so an idle or fast connection holds no chunk.
 * Single-threaded (the connection's loop).
 */
final class OutboundQueue {
    private final ChunkPool pool;
    /** The loop's counters: the queue reports its high-water mark there. */
    private final LoopStats stats;
    private IoBuffer[] chunks = new IoBuffer[4];
    private int[] starts = new int[4];
    private int[] ends = new int[4];
    private int head;
    private int size;
    private long bytes;

    OutboundQueue(ChunkPool pool, LoopStats stats) {
        this.pool = pool;
        this.stats = stats;
    }

    boolean isEmpty() {
        return bytes == 0;
    }

    long bytes() {
        return bytes;
    }

    /** Copies {@code src[offset, offset + length)} of a direct buffer to the end of the queue. */
    void append(IoBuffer src, int offset, int length) {
        ByteBuffer from = src.buffer();
        while (length > 0) {
            int tail = tailWithRoom();
            int at = ends[tail];
            int n = Math.min(length, chunks[tail].capacity() - at);
            chunks[tail].buffer().put(at, from, offset, n);
            ends[tail] = at + n;
            offset += n;
            length -= n;
            bytes += n;
        }
        stats.queued(bytes);
    }

    void append(byte[] src, int offset, int length) {
        while (length > 0) {
            int tail = tailWithRoom();
            int at = ends[tail];
            int n = Math.min(length, chunks[tail].capacity() - at);
            chunks[tail].buffer().put(at, src, offset, n);
            ends[tail] = at + n;
            offset += n;
            length -= n;
            bytes += n;
        }
        stats.queued(bytes);
    }

    /** Copies the remaining bytes of {@code src}, advancing its position. */
    void append(ByteBuffer src) {
        while (src.hasRemaining()) {
            int tail = tailWithRoom();
            int at = ends[tail];
            int n = Math.min(src.remaining(), chunks[tail].capacity() - at);
            chunks[tail].buffer().put(at, src, src.position(), n);
            src.position(src.position() + n);
            ends[tail] = at + n;
            bytes += n;
        }
        stats.queued(bytes);
    }

    /** Index of the last chunk if it has room, else of a new chunk added at the tail. */
    private int tailWithRoom() {
        if (size > 0) {
            int tail = (head + size - 1) & (chunks.length - 1);
            if (ends[tail] < chunks[tail].capacity()) {
                return tail;
            }
        }
        if (size == chunks.length) {
            grow();
        }
        int tail = (head + size) & (chunks.length - 1);
        chunks[tail] = pool.take();
        starts[tail] = 0;
        ends[tail] = 0;
        size++;
        return tail;
    }

    private void grow() {
        int n = chunks.length;
        IoBuffer[] c = new IoBuffer[n * 2];
        int[] s = new int[n * 2];
        int[] e = new int[n * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (n - 1);
            c[i] = chunks[from];
            s[i] = starts[from];
            e[i] = ends[from];
        }
        chunks = c;
        starts = s;
        ends = e;
        head = 0;
    }

    /**
     * Writes as much as the socket takes, one gathering write per call.
     *
     * @return bytes written
     */
    long flush(NetSocket socket, WriteBatch batch) throws IOException {
        if (bytes == 0) {
            return 0;
        }
        batch.clear();
        int mask = chunks.length - 1;
        for (int i = 0; i < size; i++) {
            int c = (head + i) & mask;
            if (!batch.add(chunks[c], starts[c], ends[c] - starts[c])) {
                break;
            }
        }
        long written = batch.count() == 1
                ? socket.write(batch.buffer(0), batch.offset(0), batch.length(0))
                : socket.write(batch);
        batch.clear();
        consume(written);
        return written;
    }

    private void consume(long n) {
        bytes -= n;
        while (n > 0) {
            int c = head;
            int avail = ends[c] - starts[c];
            if (n < avail) {
                starts[c] += (int) n;
                return;
            }
            n -= avail;
            releaseHead();
        }
    }

    private void releaseHead() {
        pool.give(chunks[head]);
        chunks[head] = null;
        head = (head + 1) & (chunks.length - 1);
        size--;
    }

    /** Drops everything queued, returning the chunks to the pool. */
    void clear() {
        while (size > 0) {
            releaseHead();
        }
        head = 0;
        bytes = 0;
    }
}
