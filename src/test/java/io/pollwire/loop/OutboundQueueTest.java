// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.loop.LoopFixture.FakeSocket;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.WriteBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The outbound queue on its own: order across chunks, partial writes, chunk recycling. */
class OutboundQueueTest {
    private final ChunkPool pool = new ChunkPool(8, new MemoryBudget(Long.MAX_VALUE));
    private final OutboundQueue queue = new OutboundQueue(pool, new LoopStats());
    private final WriteBatch batch = new WriteBatch(256);

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void bytesFromEverySourceComeOutInOrderAcrossChunks() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] a = bytes(ChunkPool.CHUNK_SIZE - 3, 1); // leaves 3 bytes of room: the next append spans two chunks
        queue.append(a, 0, a.length);
        expected.write(a);
        IoBuffer direct = IoBuffer.allocate(100);
        byte[] d = bytes(100, 2);
        direct.buffer().put(0, d);
        queue.append(direct, 10, 80);
        expected.write(d, 10, 80);
        byte[] h = bytes(3 * ChunkPool.CHUNK_SIZE, 3); // grows the ring past its first 4 slots
        queue.append(ByteBuffer.wrap(h));
        expected.write(h);
        assertEquals(expected.size(), queue.bytes());

        FakeSocket socket = new FakeSocket();
        while (!queue.isEmpty()) {
            queue.flush(socket, batch);
        }
        assertArrayEquals(expected.toByteArray(), socket.written.toByteArray());
        assertEquals(0, queue.bytes());
    }

    @Test
    void aPartialWriteKeepsTheRestForTheNextFlush() throws Exception {
        byte[] data = bytes(40_000, 4);
        queue.append(data, 0, data.length);
        FakeSocket socket = new FakeSocket();
        socket.writeLimit = 1_000; // the kernel takes a little at a time

        long written = queue.flush(socket, batch);
        assertEquals(1_000, written);
        assertEquals(39_000, queue.bytes());
        int flushes = 1;
        while (!queue.isEmpty()) {
            assertEquals(Math.min(1_000, queue.bytes()), queue.flush(socket, batch));
            flushes++;
        }
        assertEquals(40, flushes);
        assertArrayEquals(data, socket.written.toByteArray());
    }

    @Test
    void aFullSocketTakesNothingAndLosesNothing() throws Exception {
        byte[] data = bytes(500, 5);
        queue.append(data, 0, data.length);
        FakeSocket socket = new FakeSocket();
        socket.writeLimit = 0;
        assertEquals(0, queue.flush(socket, batch));
        assertEquals(500, queue.bytes());
        socket.writeLimit = Integer.MAX_VALUE;
        assertEquals(500, queue.flush(socket, batch));
        assertArrayEquals(data, socket.written.toByteArray());
    }

    @Test
    void sentAndClearedChunksGoBackToThePool() throws Exception {
        byte[] data = bytes(ChunkPool.CHUNK_SIZE, 6);
        queue.append(data, 0, data.length); // exactly one chunk
        queue.flush(new FakeSocket(), batch);
        IoBuffer recycled = pool.take();
        pool.give(recycled);

        queue.append(data, 0, 10);
        queue.append(data, 0, data.length); // the recycled chunk, then a new one
        queue.clear();
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.bytes());
        IoBuffer first = pool.take();
        IoBuffer second = pool.take();
        assertTrue(first == recycled || second == recycled, "a cleared chunk is reused");
    }

    @Test
    void flushingAnEmptyQueueMakesNoSystemCall() throws Exception {
        FakeSocket socket = new FakeSocket();
        assertEquals(0, queue.flush(socket, batch));
        assertEquals(0, socket.writeCalls);
    }
}
