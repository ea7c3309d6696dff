package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import io.pollwire.testing.Recorder;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promise behind "the hot path allocates nothing": after warm-up, the loop thread's
 * allocation counter does not move while 100,000 lines go through read, frame, handler, echo.
 */
@Tag("native")
@Timeout(120)
class HotPathAllocationTest {
    private static final int LINES = 100_000;

    @Test
    void echoingLinesAllocatesNothingPerLineOnEpoll() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);

        Server server = Server.builder().transport(Transport.EPOLL)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1)
                .framing(Framing.lines()).handler(new Recorder().quiet()).name("pollwire-alloc").daemonThreads(true)
                .start();
        try (LineClient client = new LineClient(server.localAddress())) {
            Thread loop = findThread("pollwire-alloc-loop-0");
            byte[] batch = lines(LINES);
            // warm-up: JIT-compile the path and let chunk pools and stash arrays reach their size
            for (int i = 0; i < 5; i++) {
                roundTrip(client, batch);
            }
            long before = mx.getThreadAllocatedBytes(loop.getId());
            roundTrip(client, batch);
            long allocated = mx.getThreadAllocatedBytes(loop.getId()) - before;
            double perLine = (double) allocated / LINES;
            System.out.println("loop thread allocated " + allocated + " bytes for " + LINES + " lines ("
                    + perLine + " B/line)");
            // Nothing per line; a few hundred bytes per run can come from JDK internals the
            // loop does not control (e.g. a one-off deoptimisation), so the bound is per run.
            assertTrue(allocated < 4096, "loop thread allocated " + allocated + " bytes for " + LINES
                    + " lines (" + perLine + " B/line)");
        } finally {
            server.shutdown(Duration.ofSeconds(2)).join();
        }
    }

    private static byte[] lines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("line ").append(i % 1000).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the batch while reading its echo back in full. */
    private static void roundTrip(LineClient client, byte[] batch) throws Exception {
        OutputStream out = client.socket().getOutputStream();
        InputStream in = client.socket().getInputStream();
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
        while (got < batch.length) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("server closed the connection");
            }
            got += n;
        }
        writer.join();
    }

    private static Thread findThread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread named " + name);
    }
}
