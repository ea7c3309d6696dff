package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.transport.IoBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Keeping the bytes after the last complete frame between reads, on its own. */
class PartialFrameTest {
    private static final int MAX = 20_000;
    private final IoBuffer shared = IoBuffer.allocate(64 * 1024 + MAX);
    private final ByteBuffer sharedView = shared.buffer().asReadOnlyBuffer();
    private final PartialFrame partial = new PartialFrame(MAX, shared.capacity());

    /** Puts {@code n} bytes of a recognisable pattern at {@code at} of {@code b}. */
    private static byte[] fill(IoBuffer b, int at, int n, int seed) {
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
        partial.keep(shared, 100, 100, true, "framer");
        assertSame(shared, partial.readTarget(shared));
        assertEquals(0, partial.readOffset());
        assertEquals(0, partial.bytes());
    }

    @Test
    void aShortPartialFrameIsCopiedToTheFrontBeforeTheNextRead() throws IOException {
        byte[] tail = fill(shared, 500, 300, 7);
        partial.keep(shared, 500, 800, true, "framer");
        assertEquals(300, partial.bytes());
        fill(shared, 0, 1000, 99); // the shared buffer serves another connection meanwhile

        IoBuffer target = partial.readTarget(shared);
        assertSame(shared, target);
        assertEquals(300, partial.readOffset());
        assertArrayEquals(tail, read(shared, 0, 300));
        assertSame(sharedView, partial.viewFor(target, sharedView));
    }

    @Test
    void aLongPartialFrameMovesToItsOwnBufferAndReadsAppendToIt() throws IOException {
        int length = PartialFrame.SPILL_THRESHOLD + 1;
        byte[] tail = fill(shared, 10, length, 3);
        partial.keep(shared, 10, 10 + length, true, "framer");

        IoBuffer own = partial.readTarget(shared);
        assertNotSame(shared, own);
        assertEquals(length, partial.readOffset(), "the next read appends after the kept bytes");
        assertArrayEquals(tail, read(own, 0, length));
        ByteBuffer ownView = partial.viewFor(own, sharedView);
        assertNotSame(sharedView, ownView);
        assertTrue(ownView.isReadOnly());

        // a read appended 100 bytes; frames ended at 2000: the rest moves to the front, once
        byte[] more = fill(own, length, 100, 5);
        partial.keep(own, 2000, length + 100, true, "framer");
        assertSame(own, partial.readTarget(shared), "still mid-frame: the same buffer");
        int kept = length + 100 - 2000;
        assertEquals(kept, partial.readOffset());
        byte[] expected = new byte[kept];
        System.arraycopy(tail, 2000, expected, 0, length - 2000);
        System.arraycopy(more, 0, expected, length - 2000, 100);
        assertArrayEquals(expected, read(own, 0, kept));
    }

    @Test
    void aConnectionNotMidFrameHoldsNoInputBuffer() throws IOException {
        partial.keep(shared, 0, PartialFrame.SPILL_THRESHOLD + 10, true, "framer");
        IoBuffer own = partial.readTarget(shared);
        partial.keep(own, 100, 100, true, "framer"); // the frame completed exactly
        assertSame(shared, partial.readTarget(shared));
        assertEquals(0, partial.bytes());
    }

    @Test
    void keepingMoreThanTheMaximumWithoutAFrameFails() {
        IOException e = assertThrows(IOException.class,
                () -> partial.keep(shared, 0, MAX + 1, true, "my-framer"));
        assertTrue(e.getMessage().contains("my-framer") && e.getMessage().contains(String.valueOf(MAX)),
                e.getMessage());
    }

    @Test
    void aConnectionThatStoppedServingKeepsNothing() throws IOException {
        partial.keep(shared, 0, 50, true, "framer");
        partial.keep(shared, 0, 50, false, "framer");
        assertEquals(0, partial.bytes());
        assertEquals(0, partial.readOffset());
    }

    @Test
    void releaseForgetsEverything() throws IOException {
        partial.keep(shared, 0, PartialFrame.SPILL_THRESHOLD + 10, true, "framer");
        partial.release();
        assertEquals(0, partial.bytes());
        assertSame(shared, partial.readTarget(shared));
    }
}
