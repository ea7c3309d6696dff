// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;

/**
 * Direct buffers for outbound queues, recycled per event loop: allocating direct memory is slow
 * and its release waits for the GC, so a loop keeps a bounded stack of free chunks.
 * Single-threaded (the loop's own).
 *
 * <p>A chunk taken is charged to the server's {@link MemoryBudget} until it is given back (free
 * chunks in the pool are the loop's own, at most {@code maxFree * CHUNK_SIZE}, not charged).
 */
final class ChunkPool {
    static final int CHUNK_SIZE = 16 * 1024;

    private final IoBuffer[] free;
    private final MemoryBudget budget;
    private int count;

    ChunkPool(int maxFree, MemoryBudget budget) {
        this.free = new IoBuffer[maxFree];
        this.budget = budget;
    }

    /** @throws OutOfMemoryError when direct memory is exhausted (nothing is charged then) */
    IoBuffer take() {
        IoBuffer b;
        if (count > 0) {
            b = free[--count];
            free[count] = null;
        } else {
            b = IoBuffer.allocate(CHUNK_SIZE);
        }
        budget.charge(CHUNK_SIZE);
        return b;
    }

    void give(IoBuffer chunk) {
        budget.release(CHUNK_SIZE);
        if (count < free.length) {
            free[count++] = chunk;
        }
        // else: dropped; the GC frees its memory
    }
}
