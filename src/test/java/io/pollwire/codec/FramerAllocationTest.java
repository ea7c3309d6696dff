// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.example.http.HttpExample;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The zero-allocation contract, measured: a framer cutting a buffer of many frames (split
 * across calls like the loop's reads) allocates nothing, counted with the JVM's per-thread
 * allocation counter. Not a timing test: the count is exact whatever the machine's speed.
 */
class FramerAllocationTest {
    private static final int PASSES = 2000;

    /** Bytes allocated by this thread while framing {@code stream} PASSES times. */
    static long allocatedWhileFraming(Framing framing, byte[] stream) throws FramingException {
        ByteBuffer buf = ByteBuffer.allocateDirect(stream.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(0, stream);
        Framer framer = framing.newFramer();
        count = 0;
        for (int i = 0; i < 200; i++) { // warm up (class loading, JIT)
            frame(framer, buf, stream.length);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        long framesBefore = count;
        for (int i = 0; i < PASSES; i++) {
            frame(framer, buf, stream.length);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(count - framesBefore > PASSES, "no frames were found: the test would prove nothing");
        return allocated;
    }

    /** Frames the whole buffer, offering it in two reads split mid-frame, like the loop. */
    private static long frame(Framer framer, ByteBuffer buf, int length) throws FramingException {
        int split = length / 2 + 3;
        int pos = framePart(framer, buf, 0, split);
        return framePart(framer, buf, pos, length) >= 0 ? count : 0;
    }

    private static long count;

    /** @return where the unconsumed bytes start; counts frames in {@link #count} */
    private static int framePart(Framer framer, ByteBuffer buf, int pos, int end) throws FramingException {
        int next;
        while ((next = framer.next(buf, pos, end)) != Framer.NEED_MORE) {
            count++;
            pos = next;
        }
        return pos;
    }

    static byte[] repeat(String frame, int times) {
        return frame.repeat(times).getBytes(StandardCharsets.ISO_8859_1);
    }

    static void assertNoAllocation(Framing framing, byte[] stream) throws FramingException {
        long allocated = allocatedWhileFraming(framing, stream);
        // A few bytes of slack for the counter's own bookkeeping; one object per frame would
        // be PASSES * frames * 16 bytes or more.
        assertTrue(allocated < 1024, framing + " allocated " + allocated + " bytes in " + PASSES + " passes");
    }

    @Test
    void lines() throws FramingException {
        assertNoAllocation(Framing.lines(), repeat("GET key:12345 some value\r\n", 40));
    }

    @Test
    void fixedLength() throws FramingException {
        assertNoAllocation(Framing.fixedLength(7), repeat("0123456", 100));
    }

    @Test
    void delimiter() throws FramingException {
        assertNoAllocation(Framing.delimiter("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 1000),
                repeat("a: b\r\nc: d\r\n\r\n", 40));
    }

    @Test
    void lengthField() throws FramingException {
        assertNoAllocation(Framing.lengthField().fieldWidth(2).byteOrder(ByteOrder.LITTLE_ENDIAN).build(),
                repeat("\u0005\u0000hello", 60));
    }

    @Test
    void httpRequests() throws FramingException {
        assertNoAllocation(HttpExample.framing(8192, 1024),
                repeat("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: text/plain\r\n\r\n"
                        + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", 20));
    }
}
