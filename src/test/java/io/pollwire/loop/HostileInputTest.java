// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.codec.Framing;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import io.pollwire.Transport;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, in process: what a peer announces costs nothing until it arrives, and an error a
 * connection's handler throws (OutOfMemoryError, StackOverflowError) costs that connection only.
 */
@Timeout(120)
class HostileInputTest {
    private static final int GIB = 1 << 30;

    private static Server start(Transport t, Framing framing, ConnectionHandler handler) throws IOException {
        NativeSupport.assumeAvailable(t);
        return Server.builder().transport(t).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .loops(1).framing(framing).handler(handler).daemonThreads(true).name("pollwire-hostile")
                .shutdownTimeout(Duration.ofSeconds(2)).start();
    }

    private static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL"})
    void aLengthFieldAnnouncingOneGibAllocatesNothingBeyondTheHeader(Transport t) throws Exception {
        long before = directBytes();
        Framing framing = Framing.lengthField(4, GIB + 4);
        try (Server server = start(t, framing, (conn, frame) -> conn.echo())) {
            assertTrue(directBytes() - before < 1 << 20, "the loop's buffers are not sized by the 1 GiB limit: "
                    + (directBytes() - before) + " bytes");
            List<Socket> peers = new ArrayList<>();
            try {
                byte[] header = {0x40, 0, 0, 0}; // "1 GiB follows", then silence
                for (int i = 0; i < 1000; i++) {
                    Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort());
                    peers.add(s);
                    s.getOutputStream().write(header);
                }
                await(() -> server.stats().bufferedBytes() == 1000 * 64, "1,000 headers kept (64-byte stashes): now "
                        + server.stats().bufferedBytes());
                assertTrue(directBytes() - before < 1 << 20, "1,000 x '1 GiB follows' cost "
                        + (directBytes() - before) + " bytes of direct memory");
                // the body costs what arrives of it
                peers.get(0).getOutputStream().write(new byte[100_000]);
                await(() -> server.stats().bufferedBytes() > 1000 * 64 + 100_000, "100,000 bytes of body kept");
                long held = server.stats().bufferedBytes() - 999 * 64;
                assertTrue(held <= 2 * 100_004 + 2 * PartialFrame.MIN_ROOM, held + " bytes held for 100,004 received");
                // and frames still work
                try (LineClient c = new LineClient(server.localAddress(), 10_000)) {
                    byte[] frame = {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
                    c.send(frame);
                    assertArrayEquals(frame, c.readExactly(frame.length));
                }
            } finally {
                for (Socket s : peers) {
                    s.close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL"})
    void anErrorThrownByAHandlerClosesOnlyItsConnection(Transport t) throws Exception {
        Map<Long, CloseReason> closed = new ConcurrentHashMap<>();
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {
                String line = StandardCharsets.US_ASCII.decode(frame).toString();
                if (line.equals("oom")) {
                    throw new OutOfMemoryError("Java heap space (thrown by the test)");
                }
                if (line.equals("recurse")) {
                    recurse(0);
                }
                conn.echo();
            }

            private int recurse(int depth) {
                return recurse(depth + 1) + 1;
            }

            @Override
            public void onError(Connection conn, Throwable error) {
                // quiet: the test provokes these
            }

            @Override
            public void onClose(Connection conn, CloseReason reason, Throwable cause) {
                closed.put(conn.id(), reason);
            }
        };
        try (Server server = start(t, Framing.lines(), handler);
                LineClient bystander = new LineClient(server.localAddress(), 10_000)) {
            bystander.send("before\n");
            assertEquals("before\n", bystander.readLine());
            for (String poison : new String[] {"oom", "recurse"}) {
                try (LineClient victim = new LineClient(server.localAddress(), 10_000)) {
                    victim.send("fine\n" + poison + "\n");
                    assertEquals("fine\n", victim.readLine());
                    assertNull(victim.readLine(), "the connection that threw " + poison + " is closed");
                }
                bystander.send("after " + poison + "\n");
                assertEquals("after " + poison + "\n", bystander.readLine(), "the loop carries on");
            }
            await(() -> closed.size() == 2, "both victims closed");
            assertTrue(closed.values().stream().allMatch(r -> r == CloseReason.HANDLER_ERROR), closed.toString());
            assertEquals(1, server.openConnections());
        }
    }
}
