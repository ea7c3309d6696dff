// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.loop.LoopFixture.FakeSocket;
import io.pollwire.transport.Poller;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A connection's output side on a loop that never runs: watermarks pause and resume reading,
 * the poller interest follows the queue, and a graceful close sends everything before its FIN.
 * The fixture's watermarks are 128 KiB (low) and 512 KiB (high).
 */
class ConnectionOutputTest {
    private final LoopFixture f = new LoopFixture(0);
    private final FakeSocket socket = new FakeSocket();
    private final LoopConnection c = f.adopt(socket);

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private int interest() {
        return f.poller.interest.get(socket);
    }

    @Test
    void aPeerThatDoesNotReadPausesReadingUntilTheQueueFallsToTheLowWatermark() {
        byte[] data = bytes(600 * 1024);
        socket.budget = 0; // the peer reads nothing
        c.output.write(data, 0, data.length); // outside a read: queued, flushed before the next poll
        f.loop.flushes.flushAll();
        assertEquals(Poller.WRITE, interest(), "over the high watermark: not read, watched for writability");
        assertFalse(c.handle.isWritable());

        socket.budget = 400 * 1024; // 200 KiB left: above the low watermark
        c.onReady(Poller.WRITE);
        assertEquals(Poller.WRITE, interest(), "still paused between the watermarks");

        socket.budget = 100 * 1024; // 100 KiB left: at most the low watermark
        c.onReady(Poller.WRITE);
        assertEquals(Poller.READ | Poller.WRITE, interest(), "reading resumes; the rest still waits");
        assertTrue(c.handle.isWritable());

        socket.budget = Long.MAX_VALUE;
        c.onReady(Poller.WRITE);
        assertEquals(Poller.READ, interest(), "all sent: no more write interest");
        assertEquals(0, c.handle.queuedBytes());
        assertArrayEquals(data, socket.written.toByteArray());
    }

    @Test
    void manyWritesOutsideAReadAreFlushedOnceBeforeThePoll() {
        byte[] a = bytes(10);
        byte[] b = bytes(20);
        c.output.write(a, 0, a.length);
        c.output.write(b, 0, b.length);
        assertEquals(0, socket.writeCalls, "nothing written until the loop flushes");
        f.loop.flushes.flushAll();
        assertEquals(1, socket.writeCalls, "one write for both");
        assertEquals(30, socket.written.size());
    }

    @Test
    void aGracefulCloseSendsWhatIsQueuedBeforeItsFin() {
        byte[] data = bytes(50_000);
        socket.budget = 20_000;
        socket.unacknowledged = 1; // the peer has not acknowledged our FIN: linger until its own
        c.output.write(data, 0, data.length);
        c.handoffOps.apply(Handoff.Op.CLOSE); // the application's close(), applied on the loop
        assertFalse(c.handle.isOpen(), "closing: no longer open to the application");
        assertFalse(socket.outputShut, "30000 bytes still queued: no FIN yet");
        c.output.write(bytes(5), 0, 5); // after close(): dropped

        socket.budget = Long.MAX_VALUE;
        c.onReady(Poller.WRITE);
        assertArrayEquals(data, socket.written.toByteArray());
        assertTrue(socket.outputShut, "everything sent: FIN");
        assertEquals(Poller.READ, interest(), "reads on, to discard input until the peer's FIN");
        assertFalse(c.isClosed());

        socket.toRead.add(new byte[] {'x', '\n'});
        socket.toRead.add(new byte[0]); // the peer's FIN
        c.onReady(Poller.READ);
        assertTrue(c.isClosed());
        assertTrue(socket.closed);
        assertEquals(2, c.discardedBytes());
        assertEquals(List.of(CloseReason.LOCAL), f.closes);
    }
}
