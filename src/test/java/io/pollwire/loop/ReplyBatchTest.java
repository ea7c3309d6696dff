// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.loop.LoopFixture.FakeSocket;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.Poller;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One read's replies, as the loop collects them in its {@link ReplyBatch}: copied replies
 * ({@code write(byte[])}, {@code write(ByteBuffer)}) and echoed ranges of the input, mixed in any
 * order, reach the socket in the order they were made, also when they overflow the 64 KiB staging
 * buffer or the batch's 256 segments (written midway) and when the kernel takes only part of a
 * write (the rest queued, then flushed).
 */
class ReplyBatchTest {
    private final LoopFixture f = new LoopFixture(0);
    private final FakeSocket socket = new FakeSocket();
    private final LoopConnection c = f.adopt(socket);
    private final IoBuffer input = IoBuffer.allocate(256 * 1024);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void mixedRepliesOfOneReadArriveInOrder(long seed) {
        Random random = new Random(seed);
        byte[] in = new byte[input.capacity()];
        random.nextBytes(in);
        input.buffer().put(0, in);
        if (seed % 2 == 0) {
            socket.writeLimit = 1000 + random.nextInt(5000); // the kernel takes part of each write
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        f.loop.replies.begin(c.output);
        int total = 0;
        while (total < 300 * 1024) {
            int kind = random.nextInt(10);
            int n = random.nextInt(10) == 0 ? random.nextInt(20_000) : 1 + random.nextInt(12);
            if (kind < 3) { // an echoed range of the input
                int from = random.nextInt(in.length - n);
                c.output.queueOrStage(input, from, n);
                expected.write(in, from, n);
            } else if (kind < 7) {
                byte[] reply = new byte[n];
                random.nextBytes(reply);
                c.output.write(reply, 0, n);
                expected.write(reply, 0, n);
            } else {
                ByteBuffer reply = kind == 9 ? ByteBuffer.allocateDirect(n + 3) : ByteBuffer.allocate(n + 3);
                byte[] b = new byte[n];
                random.nextBytes(b);
                reply.position(3);
                reply.put(b).position(3); // a buffer whose content does not start at 0
                c.output.write(reply);
                assertTrue(!reply.hasRemaining(), "write(ByteBuffer) consumes the buffer");
                expected.write(b, 0, n);
            }
            total += n;
        }
        f.loop.replies.end(c.output);
        socket.writeLimit = Integer.MAX_VALUE;
        while (!c.output.isEmpty()) {
            c.onReady(Poller.WRITE);
        }
        assertArrayEquals(expected.toByteArray(), socket.written.toByteArray());
    }

    @Test
    void consecutiveShortRepliesLeaveInOneSegment() {
        f.loop.replies.begin(c.output);
        for (int i = 0; i < 1000; i++) {
            c.output.write(new byte[] {'+', 'O', 'K', '\r', '\n'}, 0, 5);
        }
        f.loop.replies.end(c.output);
        assertTrue(socket.writeCalls == 1, "one write for 1000 replies: " + socket.writeCalls);
        assertTrue(socket.written.size() == 5000, "all replies sent: " + socket.written.size());
    }
}
