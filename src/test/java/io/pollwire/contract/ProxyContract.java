// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.ShutdownSignals;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.example.proxy.ProxyHandler;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.OnThread;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The proxy example ({@link ProxyHandler}) on every transport: 100 MiB through it byte for byte,
 * a slow reader on either side held back by backpressure with the proxy's memory bounded, a
 * backend reset and a refused backend closing the client without a leak, a client half-close
 * passed on while the reply comes back, and the drain of proxied pairs: a request in flight is
 * answered before the client's EOF, an idle pair closes at once, a backend that never answers
 * costs the timeout and is counted. Backends are on loopback.
 */
public abstract class ProxyContract extends TransportContract {
    protected ProxyContract(Transport transport) {
        super(transport);
    }

    private static final long HIGH = 256 * 1024;
    private static final long LOW = 64 * 1024;

    /** Every connection the proxy made or accepted, to read their queues. */
    private final List<Connection> proxyConnections = new CopyOnWriteArrayList<>();

    private Server proxy(SocketAddress backend) throws IOException {
        return proxy(backend, ProxyHandler.DEFAULT_DRAIN_QUIET);
    }

    private Server proxy(SocketAddress backend, Duration drainQuiet) throws IOException {
        ProxyHandler inner = new ProxyHandler(backend, drainQuiet);
        ConnectionHandler recording = new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                proxyConnections.add(c);
                inner.onOpen(c);
            }

            @Override
            public void onFrame(Connection c, ByteBuffer frame) {
                inner.onFrame(c, frame);
            }

            @Override
            public void onWritabilityChanged(Connection c) {
                inner.onWritabilityChanged(c);
            }

            @Override
            public void onDrain(Connection c) {
                inner.onDrain(c);
            }

            @Override
            public void onInputClosed(Connection c) {
                inner.onInputClosed(c);
            }

            @Override
            public void onClose(Connection c, CloseReason reason, Throwable cause) {
                inner.onClose(c, reason, cause);
            }
        };
        return start(builder(recording).framing(Framing.raw()).allowHalfClosure(true)
                .writeBufferWaterMarks(LOW, HIGH));
    }

    /** A pollwire echo server for raw bytes. */
    private Server rawEcho() throws IOException {
        return start(builder((conn, bytes) -> conn.echo()).framing(Framing.raw()));
    }

    private static void awaitNoConnections(Server s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, s.openConnections(), "connections left open on " + s);
    }

    /** The test stream: byte {@code i} of a run with {@code seed}; any split of it checks alike. */
    private static byte at(long i, long seed) {
        return (byte) (((i + seed) * 0x9E3779B97F4A7C15L) >>> 56);
    }

    @Test
    void hundredMebibytesByteForByte() throws Exception {
        Server backend = rawEcho();
        Server proxy = proxy(backend.localAddress());
        pumpByteForByte(proxy, 100L << 20);
        awaitNoConnections(proxy);
    }

    /**
     * A Unix socket's small buffers (~200 KiB, no autotuning) fill both ways at once: the proxy
     * must keep reading the echo backend while its own output to it is over the high watermark,
     * or the backend, paused at its own watermark, and the proxy wait for each other forever.
     */
    @Test
    void unixSocketBackendThirtyTwoMebibytesByteForByte() throws Exception {
        viaUnixEchoBackend((backend, proxy) -> {
            pumpByteForByte(proxy, 32L << 20);
            awaitNoConnections(proxy);
        });
    }

    /** A test given a raw echo backend on a Unix socket path and a proxy to it. */
    private interface UnixBackendCase {
        void run(Server backend, Server proxy) throws Exception;
    }

    private void viaUnixEchoBackend(UnixBackendCase test) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("/tmp"), "pw-proxy");
        java.net.UnixDomainSocketAddress path = java.net.UnixDomainSocketAddress.of(dir.resolve("b.sock"));
        try {
            Server backend = start(builder((conn, bytes) -> conn.echo()).framing(Framing.raw()).bind(path));
            test.run(backend, proxy(path));
        } finally {
            java.nio.file.Files.deleteIfExists(path.getPath());
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    /** Sends {@code total} bytes through the proxy to an echo backend while reading them back. */
    private void pumpByteForByte(Server proxy, long total) throws Exception {
        long seed = System.nanoTime();
        try (Socket s = closeLater(new Socket())) {
            s.connect(proxy.localAddress(), 5000);
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            CompletableFuture<Long> reader = OnThread.supply("proxy-test-reader", () -> {
                byte[] buf = new byte[64 * 1024];
                long got = 0;
                while (got < total) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != at(got + i, seed)) {
                            throw new AssertionError("byte " + (got + i) + " differs (seed " + seed + ")");
                        }
                    }
                    got += n;
                }
                return got;
            });
            // written on its own thread: a stalled proxy blocks the writer, and closing the socket
            // (leaving this block) ends it, so the test fails at the timeout instead of hanging
            CompletableFuture<Void> writer = OnThread.supply("proxy-test-writer", () -> {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < total; sent += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = at(sent + i, seed);
                    }
                    out.write(chunk);
                }
                s.shutdownOutput();
                return null;
            });
            assertEquals(total, reader.get(60, TimeUnit.SECONDS), "bytes back (seed " + seed + ")");
            writer.get(5, TimeUnit.SECONDS);
        }
    }

    private static long directMemoryUsed() {
        long used = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Writes until the writes stall for a while; returns what was written. A proxy without
     * backpressure would take everything (the writer would finish).
     */
    private static long writeUntilStalled(Socket s, long limit) throws Exception {
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = OnThread.supply("proxy-test-writer", () -> {
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[16 * 1024];
            try {
                while (written.get() < limit) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException closedByTheTest) {
                // the test closes the socket to end a blocked write
            }
            return null;
        });
        long last = -1;
        for (int quiet = 0; quiet < 10 && !writer.isDone(); ) {
            Thread.sleep(100);
            long now = written.get();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
        assertTrue(!writer.isDone(), "the writer finished " + written.get() + " bytes: nothing held it back");
        return written.get();
    }

    private void assertProxyQueuesBounded() {
        long bound = HIGH + 64 * 1024 + 16 * 1024; // the high watermark, plus one read taken before pausing
        for (Connection c : proxyConnections) {
            assertTrue(c.queuedBytes() <= bound, c + " queues " + c.queuedBytes() + " > " + bound);
        }
    }

    @Test
    void slowClientPausesTheBackend() throws Exception {
        Server backend = rawEcho();
        Server proxy = proxy(backend.localAddress());
        long heap0 = heapUsedAfterGc();
        long direct0 = directMemoryUsed();
        long limit = 256L << 20;
        try (Socket s = closeLater(new Socket())) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(proxy.localAddress(), 5000);
            long written = writeUntilStalled(s, limit); // never reads the echoes
            assertTrue(written < limit / 2, "wrote " + written);
            assertProxyQueuesBounded();
            assertTrue(directMemoryUsed() - direct0 < 8 << 20, "direct memory grew " + (directMemoryUsed() - direct0));
            assertTrue(heapUsedAfterGc() - heap0 < 32 << 20, "heap grew " + (heapUsedAfterGc() - heap0));
        }
        awaitNoConnections(proxy);
    }

    @Test
    void slowBackendPausesTheClient() throws Exception {
        try (ServerSocket stuck = closeLater(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))) {
            Server proxy = proxy(stuck.getLocalSocketAddress());
            long direct0 = directMemoryUsed();
            try (Socket s = closeLater(new Socket())) {
                s.connect(proxy.localAddress(), 5000);
                Socket accepted = closeLater(stuck.accept()); // accepted, never read
                accepted.setReceiveBufferSize(64 * 1024);
                long limit = 256L << 20;
                long written = writeUntilStalled(s, limit);
                assertTrue(written < limit / 2, "wrote " + written);
                assertProxyQueuesBounded();
                assertTrue(directMemoryUsed() - direct0 < 8 << 20, "direct memory grew " + (directMemoryUsed() - direct0));
                accepted.close(); // unread input: RST, passed on to the client
            }
            awaitNoConnections(proxy);
        }
    }

    @Test
    void backendResetClosesTheClient() throws Exception {
        try (ServerSocket backend = closeLater(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))) {
            Server proxy = proxy(backend.getLocalSocketAddress());
            try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
                Socket b = backend.accept();
                c.send("before the reset\n");
                byte[] got = new byte[17];
                new java.io.DataInputStream(b.getInputStream()).readFully(got);
                assertEquals("before the reset\n", new String(got, StandardCharsets.US_ASCII));
                b.setSoLinger(true, 0);
                b.close(); // RST
                assertTrue(c.awaitClosed(), "the client must see its connection closed");
            }
            awaitNoConnections(proxy);
        }
    }

    @Test
    void unixSocketBackendAndBothSidesClosePromptlyAfterTheClient() throws Exception {
        viaUnixEchoBackend((backend, proxy) -> {
            try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
                c.send("via a path\n");
                assertEquals("via a path\n", c.readLine());
            }
            long t0 = System.nanoTime();
            awaitNoConnections(proxy);
            awaitNoConnections(backend);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            // FINs passed on both ways close all four ends at once, not the 5 s close timeout
            assertTrue(ms < 3000, "the pair took " + ms + " ms to close");
        });
    }

    @Test
    void refusedBackendClosesTheClient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Server proxy = proxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
            assertTrue(c.awaitClosed(), "no backend: the client's connection must close");
        }
        awaitNoConnections(proxy);
    }

    @Test
    void clientHalfCloseReachesTheBackendAndTheReplyComesBack() throws Exception {
        try (ServerSocket backend = closeLater(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))) {
            CompletableFuture<Void> server = OnThread.supply("proxy-test-backend", () -> {
                try (Socket b = backend.accept()) {
                    byte[] all = b.getInputStream().readAllBytes(); // until the client's FIN, passed on
                    b.getOutputStream().write(("got " + all.length + " bytes\n").getBytes(StandardCharsets.US_ASCII));
                }
                return null;
            });
            Server proxy = proxy(backend.getLocalSocketAddress());
            try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
                c.send("hello");
                c.shutdownOutput();
                assertEquals("got 5 bytes\n", new String(c.readToEnd(), StandardCharsets.US_ASCII));
            }
            server.get(10, TimeUnit.SECONDS);
            awaitNoConnections(proxy);
        }
    }

    @Test
    void backendHalfCloseReachesTheClientWhoCanStillSend() throws Exception {
        try (ServerSocket backend = closeLater(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))) {
            CompletableFuture<String> server = OnThread.supply("proxy-test-backend", () -> {
                try (Socket b = backend.accept()) {
                    b.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
                    b.shutdownOutput();
                    return new String(b.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                }
            });
            Server proxy = proxy(backend.getLocalSocketAddress());
            try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
                assertEquals("bye\n", c.readLine());
                assertEquals(0, c.readToEnd().length, "the backend's FIN reaches the client");
                c.send("still talking\n");
                c.shutdownOutput();
            }
            assertEquals("still talking\n", server.get(10, TimeUnit.SECONDS));
            awaitNoConnections(proxy);
        }
    }

    /**
     * A backend on a plain socket that reads one line, answers {@code reply} after
     * {@code delayMillis} (never, when {@code reply} is null), then reads until the proxy's FIN.
     */
    private CompletableFuture<Void> lineBackend(ServerSocket backend, CountDownLatch asked, String reply,
            long delayMillis) {
        return OnThread.supply("proxy-test-backend", () -> {
            try (Socket b = backend.accept()) {
                b.setSoTimeout(20_000);
                InputStream in = b.getInputStream();
                while (in.read() != '\n') {
                    // the request line
                }
                asked.countDown();
                if (reply != null) {
                    Thread.sleep(delayMillis);
                    b.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                }
                in.readAllBytes(); // until the proxy closes its side
            }
            return null;
        });
    }

    /**
     * SIGTERM while the backend is computing: the proxied request is owed (the client spoke
     * last), so the drain waits for the answer, sends it, then EOF, well before the timeout.
     */
    @Test
    void drainWaitsForTheBackendsAnswerToARequestInFlight() throws Exception {
        try (ServerSocket backend = closeLater(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))) {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<Void> b = lineBackend(backend, asked, "answer\n", 300);
            Server proxy = proxy(backend.getLocalSocketAddress());
            try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
                c.send("question\n");
                assertTrue(asked.await(5, TimeUnit.SECONDS), "the backend got the request");
                Thread.sleep(50);
                CompletableFuture<ShutdownReport> f = proxy.shutdown(Duration.ofSeconds(10));
                assertEquals("answer\n", new String(c.readToEnd(), StandardCharsets.US_ASCII), "the answer, then EOF");
                ShutdownReport r = f.get(10, TimeUnit.SECONDS);
                assertEquals(2, r.openAtStart(), r.toString());
                assertEquals(1, r.drainedWithReplies(), "the client counts as drained after its reply: " + r);
                assertEquals(2, r.drained(), r.toString());
                assertTrue(r.isClean() && !r.timedOut(), r.toString());
                assertTrue(r.elapsed().toMillis() < 3000, "the drain took the backend's time, not the timeout: " + r);
            }
            b.get(10, TimeUnit.SECONDS);
        }
    }

    /** The backend spoke last and has been quiet for the drain quiet time: the pair closes at once. */
    @Test
    void anIdleProxiedPairClosesAtOnceOnShutdown() throws Exception {
        Server backend = rawEcho();
        Server proxy = proxy(backend.localAddress(), Duration.ofMillis(100));
        try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
            c.send("ping\n");
            assertEquals("ping\n", c.readLine());
            Thread.sleep(200); // longer than the quiet time: a pooled connection at rest
            ShutdownReport r = proxy.shutdown(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            assertEquals(0, c.readToEnd().length, "a clean EOF");
            assertEquals(2, r.openAtStart(), r.toString());
            assertEquals(2, r.idleClosed(), "client and backend sides are idle: " + r);
            assertTrue(r.isClean(), r.toString());
            assertTrue(r.elapsed().toMillis() < 1000, "an idle pair must not wait: " + r);
        }
    }

    /**
     * The backend answered a moment ago: it may still be sending, so the pair is held until the
     * backend has been quiet for the drain quiet time, then closes cleanly, long before the
     * timeout.
     */
    @Test
    void aPairWhoseBackendJustSpokeWaitsForItsQuietTime() throws Exception {
        Server backend = rawEcho();
        Server proxy = proxy(backend.localAddress(), Duration.ofMillis(300));
        try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
            c.send("ping\n");
            assertEquals("ping\n", c.readLine());
            ShutdownReport r = proxy.shutdown(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            assertEquals(0, c.readToEnd().length, "a clean EOF");
            assertEquals(1, r.drainedWithReplies(), "the client side was held for the backend: " + r);
            assertTrue(r.isClean() && !r.timedOut(), r.toString());
            assertEquals(0, r.repliesAbandoned(), r.toString());
            assertTrue(r.elapsed().toMillis() >= 200, "held for the quiet time: " + r);
            assertTrue(r.elapsed().toMillis() < 5000, "not the timeout: " + r);
        }
    }

    /**
     * SIGTERM while the backend is sending a long answer in parts (1 MiB in four parts, 150 ms
     * apart: shorter gaps than the quiet time): the client gets all of it, then EOF. The drain
     * used to close the pair after the first bytes and discard the rest.
     */
    @Test
    void aLongAnswerInPartsIsDeliveredWholeDuringADrain() throws Exception {
        int part = 256 * 1024;
        try (ServerSocket backend = closeLater(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))) {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<Void> b = OnThread.supply("proxy-test-backend", () -> {
                try (Socket s = backend.accept()) {
                    s.setSoTimeout(20_000);
                    InputStream in = s.getInputStream();
                    while (in.read() != '\n') {
                        // the request line
                    }
                    asked.countDown();
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[part];
                    for (int i = 0; i < 4; i++) {
                        java.util.Arrays.fill(chunk, (byte) ('a' + i));
                        out.write(chunk);
                        out.flush();
                        Thread.sleep(150);
                    }
                    in.readAllBytes(); // until the proxy closes its side
                }
                return null;
            });
            Server proxy = proxy(backend.getLocalSocketAddress());
            try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
                c.send("question\n");
                assertTrue(asked.await(5, TimeUnit.SECONDS), "the backend got the request");
                byte[] first = c.readExactly(1000); // the answer has begun
                CompletableFuture<ShutdownReport> f = proxy.shutdown(Duration.ofSeconds(10));
                byte[] rest = c.readToEnd();
                assertEquals(4 * part, first.length + rest.length, "the whole answer, then EOF");
                assertEquals('d', rest[rest.length - 1], "the last part arrived");
                ShutdownReport r = f.get(10, TimeUnit.SECONDS);
                assertTrue(r.isClean() && !r.timedOut(), r.toString());
                assertEquals(0, r.inputBytesDiscarded(), "nothing of the answer was dropped: " + r);
            }
            b.get(10, TimeUnit.SECONDS);
        }
    }

    /** A backend that never answers holds the pair until the timeout: abandoned and counted. */
    @Test
    void aBackendThatNeverAnswersIsAbandonedAtTheTimeout() throws Exception {
        try (ServerSocket backend = closeLater(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()))) {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<Void> b = lineBackend(backend, asked, null, 0);
            Server proxy = proxy(backend.getLocalSocketAddress());
            try (LineClient c = new LineClient(proxy.localAddress(), 10_000)) {
                c.send("question\n");
                assertTrue(asked.await(5, TimeUnit.SECONDS), "the backend got the request");
                ShutdownReport r = proxy.shutdown(Duration.ofMillis(500)).get(10, TimeUnit.SECONDS);
                assertTrue(c.awaitClosed(), "the client is closed at the timeout");
                assertEquals(1, r.repliesAbandoned(), r.toString());
                assertTrue(r.timedOut(), r.toString());
                assertEquals(2, r.forced(), "the client and the backend side it held open: " + r);
                assertEquals(ShutdownSignals.EXIT_FORCED, ShutdownSignals.exitStatus(r), r.toString());
                assertTrue(r.toString().contains("1 replies abandoned at the timeout"), r.toString());
                assertTrue(r.elapsed().toMillis() >= 450, r.toString());
            }
            b.get(10, TimeUnit.SECONDS);
        }
    }
}
