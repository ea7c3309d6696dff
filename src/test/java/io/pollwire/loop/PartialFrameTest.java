package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.transport.IoBuffer;
import org.junit.jupiter.api.Test;

/**
 * Memory proportional to what a peer sent: a partial frame's buffer grows with the bytes that
 * arrive (not with the framing's limit), goes back to the stash when frames complete, and every
 * byte is reserved in, and given back to, the budget.
 */
class PartialFrameTest {
    private static final int MAX_FRAME = 1 << 30; // a length field may announce 1 GiB

    private final IoBuffer shared = IoBuffer.allocate(64 * 1024 + PartialFrame.STASH_MAX);

    /** Fills {@code [at, at + n)} of {@code b} with a pattern that depends on the absolute offset k. */
    private static void fill(IoBuffer b, int at, int n, int k0) {
        for (int i = 0; i < n; i++) {
            b.buffer().put(at + i, (byte) (k0 + i));
        }
    }

    private static void assertPattern(IoBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals((byte) i, b.buffer().get(i), "byte " + i);
        }
    }

    /** Simulates reads of {@code chunk} bytes that never complete a frame, up to {@code total}. */
    private static int drip(PartialFrame p, IoBuffer shared, int total, int chunk) {
        int have = p.length();
        while (have < total) {
            int base = p.beforeRead(shared);
            assertEquals(have, base);
            IoBuffer target = p.readBuffer(shared);
            int n = Math.min(chunk, Math.min(total - have, target.capacity() - base));
            fill(target, base, n, have);
            have += n;
            assertTrue(p.keep(target, 0, have));
        }
        return have;
    }

    @Test
    void smallPartialFramesStayInTheStashAndCostTheirSizeOnly() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        PartialFrame p = new PartialFrame(budget, MAX_FRAME);
        fill(shared, 0, 100, 0);
        assertTrue(p.keep(shared, 0, 100));
        assertEquals(100, p.length());
        assertEquals(128, budget.used(), "a 100-byte partial line costs a 128-byte stash");
        assertEquals(100, p.beforeRead(shared));
        assertEquals(shared, p.readBuffer(shared), "a stashed frame is read after, in the shared buffer");
        assertPattern(shared, 100);
        p.release();
        assertEquals(0, budget.used());
    }

    @Test
    void aLongPartialFrameGrowsWithWhatArrivedNotWithTheLimit() {
        MemoryBudget budget = new MemoryBudget(64L << 20);
        PartialFrame p = new PartialFrame(budget, MAX_FRAME);
        int have = drip(p, shared, 5000, 5000);
        assertEquals(8192, budget.used(), "5,000 bytes cost an 8 KiB buffer, not the 1 GiB limit");
        for (int target : new int[] {60_000, 300_000, 1_000_000}) {
            have = drip(p, shared, target, 1500);
            long used = budget.used();
            assertTrue(used >= have && used <= 2L * have + 2 * PartialFrame.MIN_ROOM,
                    used + " bytes held for a partial frame of " + have);
        }
        assertPattern(p.readBuffer(shared), have);
        p.release();
        assertEquals(0, budget.used());
    }

    @Test
    void completedFramesGiveTheBufferBack() {
        MemoryBudget budget = new MemoryBudget(64L << 20);
        PartialFrame p = new PartialFrame(budget, MAX_FRAME);
        int have = drip(p, shared, 200_000, 16_000);
        IoBuffer own = p.readBuffer(shared);
        // a frame of 199,900 bytes completed: 100 bytes of the next one are left
        assertTrue(p.keep(own, have - 100, 100));
        assertEquals(100, p.length());
        assertEquals(128, budget.used(), "back to a stash");
        assertEquals(shared, p.readBuffer(shared));
        // 150,000 bytes completed of 200,000: a shrink to fit 50,000
        PartialFrame q = new PartialFrame(budget, MAX_FRAME);
        have = drip(q, shared, 200_000, 16_000);
        long before = budget.used();
        assertTrue(q.keep(q.readBuffer(shared), 150_000, have - 150_000));
        assertTrue(budget.used() - 128 <= 65_536 && budget.used() < before, "shrunk: " + budget.used());
        for (int i = 0; i < 50_000; i++) {
            assertEquals((byte) (150_000 + i), q.readBuffer(shared).buffer().get(i));
        }
        p.release();
        q.release();
        assertEquals(0, budget.used());
    }

    @Test
    void theBudgetRefusesGrowthAndThePartialFrameIsDropped() {
        MemoryBudget budget = new MemoryBudget(256 * 1024); // large frames: 192 KiB at most
        PartialFrame p = new PartialFrame(budget, MAX_FRAME);
        int have = 0;
        boolean refused = false;
        while (!refused) {
            int base = p.beforeRead(shared);
            if (base < 0) {
                refused = true;
                break;
            }
            IoBuffer target = p.readBuffer(shared);
            int n = Math.min(4000, target.capacity() - base);
            have += n;
            refused = !p.keep(target, 0, have);
        }
        assertNull(p.failure(), "refused by the budget, not by the allocator");
        assertTrue(p.refusedBytes() > 0);
        assertTrue(have <= 192 * 1024, "got " + have + " bytes within 3/4 of the budget");
        assertEquals(0, budget.used(), "a refused partial frame gives everything back");
        // small stashes may still use the last quarter
        assertTrue(budget.tryReserveSmall(200 * 1024));
        assertFalse(budget.tryReserveLarge(8192));
        budget.release(200 * 1024);
    }

    @Test
    void queuedOutputIsChargedAndNeverRefused() {
        MemoryBudget budget = new MemoryBudget(64 * 1024);
        ChunkPool pool = new ChunkPool(4, budget);
        IoBuffer[] chunks = new IoBuffer[6];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = pool.take();
        }
        assertEquals(6L * ChunkPool.CHUNK_SIZE, budget.used());
        assertTrue(budget.isOverLimit());
        for (IoBuffer c : chunks) {
            pool.give(c);
        }
        assertEquals(0, budget.used());
        assertEquals(6L * ChunkPool.CHUNK_SIZE, budget.peak());
    }
}
