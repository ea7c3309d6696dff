package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;

/**
 * Direct buffers for outbound queues, recycled per event loop: allocating direct memory is slow
 * and its release waits for the GC, so a loop keeps a bounded stack of free chunks.
 * Single-threaded (the loop's own).
 */
final class ChunkPool {
    static final int CHUNK_SIZE = 16 * 1024;

    private final IoBuffer[] free;
    private int count;

    ChunkPool(int maxFree) {
        this.free = new IoBuffer[maxFree];
    }

    IoBuffer take() {
        if (count > 0) {
            IoBuffer b = free[--count];
            free[count] = null;
            return b;
        }
        return IoBuffer.allocate(CHUNK_SIZE);
    }

    void give(IoBuffer chunk) {
        if (count < free.length) {
            free[count++] = chunk;
        }
        // else: dropped; the GC frees its memory
    }
}
