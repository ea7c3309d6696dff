// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.observe.FlightEvents;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.LoopAllocation;
import io.pollwire.testing.NativeSupport;
import io.pollwire.testing.Recorder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promise behind "the hot path allocates nothing": after warm-up, the loop thread's
 * allocation counter does not move while 100,000 lines go through read, frame, handler, echo
 * (and the loop's counters count them), with and without a flight recording running.
 */
@Tag("native")
@Timeout(120)
class HotPathAllocationTest {
    private static final int LINES = 100_000;

    @Test
    void echoingLinesAllocatesNothingPerLineOnEpoll() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        assertNothingAllocatedPerLine("pollwire-alloc");
    }

    /**
     * The same with a flight recording running: JFR's default settings plus every pollwire
     * event (which mark connections, not lines), as {@code -XX:StartFlightRecording} would.
     */
    @Test
    void echoingLinesAllocatesNothingPerLineWhileRecording() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.enable("pollwire.ConnectionOpened");
            recording.enable("pollwire.ConnectionClosed");
            recording.start();
            assertNothingAllocatedPerLine("pollwire-alloc-jfr");
            recording.stop();
            assertTrue(FlightEvents.available());
        }
    }

    private static void assertNothingAllocatedPerLine(String name) throws Exception {
        com.sun.management.ThreadMXBean mx = LoopAllocation.counter();

        Server server = Server.builder().transport(Transport.EPOLL)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1)
                .framing(Framing.lines()).handler(new Recorder().quiet()).name(name).daemonThreads(true)
                .start();
        try (LineClient client = new LineClient(server.localAddress())) {
            Thread loop = LoopAllocation.thread(name + "-loop-0");
            byte[] batch = lines(LINES);
            // warm-up: JIT-compile the path and let chunk pools and stash arrays reach their size
            for (int i = 0; i < 5; i++) {
                LoopAllocation.roundTrip(client.socket(), batch, batch.length);
            }
            long before = mx.getThreadAllocatedBytes(loop.getId());
            LoopAllocation.roundTrip(client.socket(), batch, batch.length);
            long allocated = mx.getThreadAllocatedBytes(loop.getId()) - before;
            double perLine = (double) allocated / LINES;
            System.out.println(name + ": loop thread allocated " + allocated + " bytes for " + LINES + " lines ("
                    + perLine + " B/line)");
            // Nothing per line; a few hundred bytes per run can come from JDK internals the
            // loop does not control (e.g. a one-off deoptimisation), so the bound is per run.
            assertTrue(allocated < 4096, "loop thread allocated " + allocated + " bytes for " + LINES
                    + " lines (" + perLine + " B/line)");
            assertTrue(server.stats().frames() >= 6L * LINES, "the lines were counted: " + server.stats());
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
}
