// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.transport.IoBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Keeping the bytes after the last complete frame between reads, on its own (the split's cases:
 * where the next read goes, what the handler sees, the frame limit); and memory proportional to
 * what a peer sent: a partial frame's buffer grows with the bytes that
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

    // ---- where the next read goes (from the loop split's PartialFrameTest) --------------------

    private static final int MAX = 20_000;
    private final ByteBuffer sharedView = shared.buffer().asReadOnlyBuffer();
    private final PartialFrame partial = new PartialFrame(new MemoryBudget(64L << 20), MAX);

    /** Puts {@code n} bytes of a recognisable pattern at {@code at} of {@code b}. */
    private static byte[] pattern(IoBuffer b, int at, int n, int seed) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (seed + i * 31);
        }
        b.buffer().put(at, bytes);
        return bytes;
    }

    private static byte[] read(IoBuffer b, int at, int n) {
        byte[] out = new byte[n];
        b.buffer().get(at, out);
        return out;
    }

    @Test
    void nothingKeptMeansTheNextReadStartsAtTheFrontOfTheSharedBuffer() throws IOException {
        assertTrue(partial.keepRest(shared, 100, 100, true, "framer"));
        assertEquals(0, partial.beforeRead(shared));
        assertSame(shared, partial.readBuffer(shared));
        assertEquals(0, partial.length());
    }

    @Test
    void aShortPartialFrameIsCopiedToTheFrontBeforeTheNextRead() throws IOException {
        byte[] tail = pattern(shared, 500, 300, 7);
        assertTrue(partial.keepRest(shared, 500, 800, true, "framer"));
        assertEquals(300, partial.length());
        pattern(shared, 0, 1000, 99); // the shared buffer serves another connection meanwhile

        assertEquals(300, partial.beforeRead(shared));
        IoBuffer target = partial.readBuffer(shared);
        assertSame(shared, target);
        assertArrayEquals(tail, read(shared, 0, 300));
        assertSame(sharedView, partial.viewOf(target, sharedView));
    }

    @Test
    void aLongPartialFrameMovesToItsOwnBufferAndReadsAppendToIt() throws IOException {
        int length = PartialFrame.STASH_MAX + 1;
        byte[] tail = pattern(shared, 10, length, 3);
        assertTrue(partial.keepRest(shared, 10, 10 + length, true, "framer"));

        assertEquals(length, partial.beforeRead(shared), "the next read appends after the kept bytes");
        IoBuffer own = partial.readBuffer(shared);
        assertNotSame(shared, own);
        assertArrayEquals(tail, read(own, 0, length));
        ByteBuffer ownView = partial.viewOf(own, sharedView);
        assertNotSame(sharedView, ownView);
        assertTrue(ownView.isReadOnly());

        // a read appended 100 bytes; frames ended at 100: the rest (still over the stash size)
        // moves to the front, once
        byte[] more = pattern(own, length, 100, 5);
        assertTrue(partial.keepRest(own, 100, length + 100, true, "framer"));
        int kept = length;
        assertEquals(kept, partial.beforeRead(shared));
        assertSame(own, partial.readBuffer(shared), "still mid-frame: the same buffer");
        byte[] expected = new byte[kept];
        System.arraycopy(tail, 100, expected, 0, length - 100);
        System.arraycopy(more, 0, expected, length - 100, 100);
        assertArrayEquals(expected, read(own, 0, kept));
    }

    @Test
    void aConnectionNotMidFrameHoldsNoInputBuffer() throws IOException {
        assertTrue(partial.keepRest(shared, 0, PartialFrame.STASH_MAX + 10, true, "framer"));
        IoBuffer own = partial.readBuffer(shared);
        assertTrue(partial.keepRest(own, 100, 100, true, "framer")); // the frame completed exactly
        assertSame(shared, partial.readBuffer(shared));
        assertEquals(0, partial.length());
    }

    @Test
    void keepingMoreThanTheMaximumWithoutAFrameFails() {
        IOException e = assertThrows(IOException.class,
                () -> partial.keepRest(shared, 0, MAX + 1, true, "my-framer"));
        assertTrue(e.getMessage().contains("my-framer") && e.getMessage().contains(String.valueOf(MAX)),
                e.getMessage());
    }

    @Test
    void aConnectionThatStoppedServingKeepsNothing() throws IOException {
        assertTrue(partial.keepRest(shared, 0, 50, true, "framer"));
        assertTrue(partial.keepRest(shared, 0, 50, false, "framer"));
        assertEquals(0, partial.length());
        assertEquals(0, partial.beforeRead(shared));
    }

    @Test
    void releaseForgetsEverything() throws IOException {
        assertTrue(partial.keepRest(shared, 0, PartialFrame.STASH_MAX + 10, true, "framer"));
        partial.release();
        assertEquals(0, partial.length());
        assertSame(shared, partial.readBuffer(shared));
    }
}
