// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * For tests that watch a loop thread's allocation counter: find the thread, and push a batch
 * of requests through a connection while reading the replies (a writer thread, so neither side
 * blocks on a full socket buffer).
 */
public final class LoopAllocation {
    private LoopAllocation() {}

    /**
     * @return the JVM's thread bean with per-thread allocation counting on; the test is skipped
     *     (an assumption) on a JVM that cannot count
     */
    public static com.sun.management.ThreadMXBean counter() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        return mx;
    }

    /** @return the live thread with this name */
    public static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    /** Sends {@code batch} while reading {@code replyBytes} bytes of replies. */
    public static void roundTrip(Socket socket, byte[] batch, long replyBytes) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        Thread writer = new Thread(() -> {
            try {
                out.write(batch);
                out.flush();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "test-alloc-writer");
        writer.start();
        byte[] buf = new byte[1 << 16];
        long got = 0;
        while (got < replyBytes) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("server closed the connection");
            }
            got += n;
        }
        writer.join();
    }
}
