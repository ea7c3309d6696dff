package io.pollwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pollwire.codec.Framing;
import io.pollwire.testing.Leaks;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Recorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every transport must show, byte for byte: one suite, subclassed once per
 * transport (epoll, kqueue, NIO). Servers run on loopback with an ephemeral port; every
 * client has a read timeout; the class checks it leaked no descriptor and no thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class TransportContractTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final List<Server> servers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private int fdsBefore;

    /** @return the transport under test */
    protected abstract Transport transport();

    /** Skips (or fails, when native code is required) if the transport is unavailable. */
    protected abstract void assumeTransport();

    @BeforeAll
    void checkTransportAndCountFds() {
        assumeTransport();
        fdsBefore = Leaks.openFdsAfterJdkWarmUp();
    }

    @AfterEach
    void closeEverything() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the assertions already ran
            }
        }
        clients.clear();
        for (Server s : servers) {
            s.shutdownNow().join();
        }
        servers.clear();
    }

    @AfterAll
    void noLeaks() throws InterruptedException {
        assertEquals(List.of(), Leaks.awaitNoPollwireThreads(5000), "pollwire threads left running");
        if (fdsBefore > 0) {
            int after = Leaks.awaitFds(fdsBefore, 5000);
            assertTrue(after <= fdsBefore, "file descriptors leaked: " + fdsBefore + " before, " + after + " after: "
                    + Leaks.describeIoFds());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    protected Server.Builder builder(ConnectionHandler handler) {
        return Server.builder().transport(transport()).bind(LOOPBACK).loops(2).handler(handler)
                .daemonThreads(true).name("pollwire-test-" + transport().name().toLowerCase());
    }

    protected Server start(Server.Builder b) throws IOException {
        Server s = b.start();
        servers.add(s);
        assertEquals(transport(), s.transport());
        return s;
    }

    protected Server start(ConnectionHandler handler) throws IOException {
        return start(builder(handler));
    }

    protected LineClient connect(Server s) throws IOException {
        LineClient c = new LineClient(s.localAddress());
        clients.add(c);
        return c;
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    // ---- framing over the wire -------------------------------------------------------------

    @Test
    void echoesOneLine() throws Exception {
        Recorder r = new Recorder();
        LineClient c = connect(start(r));
        c.send("hello\n");
        assertEquals("hello\n", c.readLine());
        assertEquals(List.of("hello"), r.frames);
    }

    @Test
    void splitLineIsJoined() throws Exception {
        Recorder r = new Recorder();
        LineClient c = connect(start(r));
        c.send("abc");
        Thread.sleep(50);
        c.send("def\n");
        assertEquals("abcdef\n", c.readLine());
        assertEquals(List.of("abcdef"), r.frames);
    }

    @Test
    void coalescedLinesAreSeparated() throws Exception {
        Recorder r = new Recorder();
        LineClient c = connect(start(r));
        c.send("abc\ndef\n");
        assertEquals("abc\ndef\n", c.readString(8));
        assertEquals(List.of("abc", "def"), r.frames);
    }

    @Test
    void byteByByte() throws Exception {
        Recorder r = new Recorder();
        LineClient c = connect(start(r));
        String text = "one\r\ntwo\n\nthree\n";
        for (char ch : text.toCharArray()) {
            c.send(String.valueOf(ch));
        }
        assertEquals(text, c.readString(text.length()));
        assertEquals(List.of("one", "two", "", "three"), r.frames);
    }

    @Test
    void crlfIsExcludedFromTheFrameButEchoedAsSent() throws Exception {
        Recorder r = new Recorder();
        LineClient c = connect(start(r));
        c.send("abc\r\n\r\n");
        assertEquals("abc\r\n\r\n", c.readString(7));
        assertEquals(List.of("abc", ""), r.frames);
    }

    @Test
    void emptyLines() throws Exception {
        Recorder r = new Recorder();
        LineClient c = connect(start(r));
        c.send("\n\n\n");
        assertEquals("\n\n\n", c.readString(3));
        assertEquals(List.of("", "", ""), r.frames);
    }

    @Test
    void lineAtTheLimitPassesOneByteOverClosesOnlyThatConnection() throws Exception {
        Recorder r = new Recorder();
        Server s = start(builder(r).framing(Framing.lines(16)));
        LineClient ok = connect(s);
        LineClient bad = connect(s);
        String sixteen = repeat('a', 16);
        ok.send(sixteen + "\n");
        assertEquals(sixteen + "\n", ok.readLine());
        ok.send(sixteen + "\r\n");
        assertEquals(sixteen + "\r\n", ok.readLine(), "the CR does not count against the limit");

        bad.send(repeat('b', 17) + "\n");
        assertEquals("ERR line too long (max 16 bytes)\n", bad.readLine());
        assertTrue(bad.awaitClosed(), "the offending connection is closed");
        bad.close(); // the server waits for our FIN, so that no RST can eat the ERR line
        assertEquals(CloseReason.FRAMING_ERROR, r.nextClose(5000));

        ok.send("still here\n");
        assertEquals("still here\n", ok.readLine(), "other connections keep working");
    }

    @Test
    void overlongLineWithoutNewlineIsRejectedBeforeItIsBuffered() throws Exception {
        Recorder r = new Recorder();
        Server s = start(builder(r).framing(Framing.lines(100)));
        LineClient c = connect(s);
        c.send(repeat('x', 60));
        Thread.sleep(30);
        c.send(repeat('x', 60)); // 120 bytes, no newline yet
        assertEquals("ERR line too long (max 100 bytes)\n", c.readLine());
        assertTrue(c.awaitClosed());
    }

    @Test
    void partialLineAtEndOfStreamIsReportedAndEchoed() throws Exception {
        Recorder r = new Recorder();
        LineClient c = connect(start(r));
        c.send("full\ntail");
        c.shutdownOutput();
        assertEquals("full\ntail", new String(c.readToEnd(), StandardCharsets.ISO_8859_1));
        assertEquals(List.of("full"), r.frames);
        assertEquals(List.of("tail"), r.partials);
        assertEquals(CloseReason.PEER_CLOSED, r.nextClose(5000));
    }

    @Test
    void halfClosedClientStillReceivesItsEchoes() throws Exception {
        Recorder r = new Recorder().quiet();
        LineClient c = connect(start(r));
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sent.append("line ").append(i).append('\n');
        }
        c.send(sent.toString());
        c.shutdownOutput();
        assertEquals(sent.toString(), new String(c.readToEnd(), StandardCharsets.ISO_8859_1));
        assertEquals(CloseReason.PEER_CLOSED, r.nextClose(5000));
    }

    @Test
    void peerResetMidLineFreesConnection() throws Exception {
        Recorder r = new Recorder();
        Server s = start(r);
        LineClient c = connect(s);
        c.send("abc\n");
        assertEquals("abc\n", c.readLine());
        c.send("half a line");
        Thread.sleep(30);
        c.reset();
        CloseReason reason = r.nextClose(5000);
        assertTrue(reason == CloseReason.RESET || reason == CloseReason.PEER_CLOSED, "got " + reason);
        assertEquals(0, s.openConnections());
        LineClient other = connect(s);
        other.send("after\n");
        assertEquals("after\n", other.readLine());
    }

    @Test
    void thousandConcurrentConnectionsEachEcho() throws Exception {
        Server s = start(new Recorder().quiet());
        List<LineClient> cs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            cs.add(connect(s));
        }
        for (int i = 0; i < cs.size(); i++) {
            cs.get(i).send("client " + i + "\n");
        }
        for (int i = 0; i < cs.size(); i++) {
            assertEquals("client " + i + "\n", cs.get(i).readLine());
        }
        assertEquals(1000, s.openConnections());
        for (LineClient c : cs) {
            c.close();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (s.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, s.openConnections(), "server noticed every close");
    }

    @Test
    void hundredMegabytesPipelinedThroughOneConnection() throws Exception {
        Server s = start(new Recorder().quiet());
        LineClient c = connect(s);
        long total = 100L * 1024 * 1024;
        Random rnd = new Random(42);
        byte[] chunk = new byte[1 << 20];
        int p = 0;
        while (p < chunk.length) {
            int len = Math.min(rnd.nextInt(200), chunk.length - p - 1);
            for (int i = 0; i < len; i++) {
                chunk[p++] = (byte) ('a' + rnd.nextInt(26));
            }
            chunk[p++] = '\n';
        }
        chunk[chunk.length - 1] = '\n';
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = c.socket().getOutputStream();
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
            } catch (Throwable t) {
                writerError.set(t);
            }
        }, "test-writer");
        writer.start();
        InputStream in = c.socket().getInputStream();
        byte[] buf = new byte[1 << 16];
        long received = 0;
        while (received < total) {
            int n = in.read(buf);
            assertTrue(n > 0, "stream ended after " + received + " bytes");
            for (int i = 0; i < n; i++) {
                if (buf[i] != chunk[(int) ((received + i) % chunk.length)]) {
                    fail("byte " + (received + i) + " differs");
                }
            }
            received += n;
        }
        writer.join(10_000);
        assertEquals(null, writerError.get());
        assertEquals(total, received);
    }

    static List<Long> seeds() {
        String fixed = System.getProperty("pollwire.test.seed");
        if (fixed != null) {
            return List.of(Long.parseLong(fixed));
        }
        return List.of(1L, 2L, 3L, new Random().nextLong());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomlySplitLineStream(long seed) throws Exception {
        Recorder r = new Recorder();
        Server s = start(builder(r).framing(Framing.lines(300)));
        LineClient c = connect(s);
        Random rnd = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder line = new StringBuilder();
            int len = rnd.nextInt(8) == 0 ? rnd.nextInt(301) : rnd.nextInt(20);
            for (int k = 0; k < len; k++) {
                line.append((char) (' ' + 1 + rnd.nextInt(90)));
            }
            lines.add(line.toString());
            stream.writeBytes(line.toString().getBytes(StandardCharsets.ISO_8859_1));
            stream.writeBytes(rnd.nextBoolean() ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
        }
        byte[] all = stream.toByteArray();
        String why = "seed " + seed + " (rerun with -Dpollwire.test.seed=" + seed + ")";
        CompletableFuture<byte[]> echoed = io.pollwire.testing.OnThread.supply("test-reader", () -> c.readExactly(all.length));
        int pos = 0;
        while (pos < all.length) {
            int n = Math.min(all.length - pos, 1 + rnd.nextInt(rnd.nextBoolean() ? 7 : 700));
            c.send(java.util.Arrays.copyOfRange(all, pos, pos + n));
            pos += n;
            if (rnd.nextInt(50) == 0) {
                Thread.sleep(1);
            }
        }
        assertArrayEquals(all, echoed.get(), why);
        assertEquals(lines, r.frames, why);
    }

    @Test
    void ipv6Loopback() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        Server s;
        try {
            s = start(builder(new Recorder()).bind(v6));
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        LineClient c = connect(s);
        assertEquals(InetAddress.getByName("::1"), c.socket().getInetAddress());
        c.send("over v6\n");
        assertEquals("over v6\n", c.readLine());
    }

    @Test
    void busySpinLoopsServeAndStop() throws Exception {
        Server s = start(builder(new Recorder()).idleStrategy(IdleStrategy.BUSY_SPIN).loops(1));
        LineClient c = connect(s);
        c.send("spin\n");
        assertEquals("spin\n", c.readLine());
    }

    @Test
    void reusePortGivesEveryLoopItsOwnListener() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "SO_REUSEPORT load balancing is a Linux behaviour");
        java.util.Set<String> loopsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Server s = start(builder(new ConnectionHandler() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) {
                loopsSeen.add(Thread.currentThread().getName());
                connection.echo();
            }
        }).reusePort(true).loops(2));
        for (int i = 0; i < 64 && loopsSeen.size() < 2; i++) {
            try (LineClient c = new LineClient(s.localAddress())) {
                c.send("which loop\n");
                assertEquals("which loop\n", c.readLine());
            }
        }
        assertEquals(2, loopsSeen.size(), "the kernel spread connections over both listeners: " + loopsSeen);
    }

    @Test
    void longLinesDrippedInSmallPiecesKeepTheirPartialInPlace() throws Exception {
        // lines well over the 4 KiB spill threshold, sent in 1 KiB pieces: the partial line lives
        // in the connection's own buffer and each piece is appended, not copied back and forth
        Recorder r = new Recorder().quiet();
        Server s = start(builder(r).framing(Framing.lines(1 << 20)));
        LineClient c = connect(s);
        Random rnd = new Random(7);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            int len = 5_000 + rnd.nextInt(300_000);
            for (int k = 0; k < len; k++) {
                all.write('a' + rnd.nextInt(26));
            }
            all.write('\n');
            if (i % 3 == 0) {
                all.writeBytes("short\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] bytes = all.toByteArray();
        CompletableFuture<byte[]> echoed = io.pollwire.testing.OnThread.supply("test-reader", () -> c.readExactly(bytes.length));
        for (int at = 0; at < bytes.length; at += 1024) {
            c.send(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 1024)));
        }
        assertArrayEquals(bytes, echoed.get(30, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void aFramingThatCannotMakeAFramerCostsOnlyThatConnection() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Framing flaky = Framing.custom(() -> {
            if (made.incrementAndGet() == 2) {
                throw new IllegalStateException("no framer for the second connection");
            }
            return new io.pollwire.codec.LineFramer(100);
        }, 102);
        Recorder r = new Recorder();
        Server s = start(builder(r).framing(flaky).loops(1));
        LineClient first = connect(s);
        first.send("one\n");
        assertEquals("one\n", first.readLine());
        LineClient second = connect(s);
        assertTrue(second.awaitClosed(), "the connection without a framer is closed");
        LineClient third = connect(s);
        third.send("three\n");
        assertEquals("three\n", third.readLine());
        first.send("still\n");
        assertEquals("still\n", first.readLine());
        assertEquals(2, r.opened.size(), "no callbacks for the connection that never started");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.openConnections() != 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(2, s.openConnections(), "its reservation was given back");
    }

    @Test
    void aLoopThatDiesTakesTheServerDownWithAReport() throws Exception {
        Recorder r = new Recorder() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) throws Exception {
                if (frame.remaining() == 4 && frame.get(frame.position()) == 'b') {
                    throw new InternalError("boom"); // a VirtualMachineError is not the handler's to survive
                }
                super.onFrame(connection, frame);
            }
        };
        Server s = start(builder(r).loops(1));
        LineClient c = connect(s);
        c.send("fine\n");
        assertEquals("fine\n", c.readLine());
        c.send("boom\n");
        ShutdownReport report = s.shutdown(Duration.ofSeconds(5)) == null ? null
                : awaitTermination(s);
        assertNotNull(report.loopFailure(), report.toString());
        assertTrue(report.loopFailure() instanceof InternalError, report.toString());
        assertTrue(!report.isClean());
    }

    private static ShutdownReport awaitTermination(Server s) throws InterruptedException {
        return s.awaitTermination();
    }

    // ---- handlers, limits and bad clients --------------------------------------------------

    @Test
    void handlerThrowingOnEveryThirdLineClosesOnlyItsConnection() throws Exception {
        AtomicInteger count = new AtomicInteger();
        Recorder r = new Recorder() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) throws Exception {
                if (count.incrementAndGet() % 3 == 0) {
                    throw new IllegalStateException("third line");
                }
                super.onFrame(connection, frame);
            }
        };
        Server s = start(r);
        LineClient a = connect(s);
        a.send("1\n");
        assertEquals("1\n", a.readLine());
        a.send("2\n");
        assertEquals("2\n", a.readLine());
        a.send("3\n"); // throws
        assertTrue(a.awaitClosed());
        a.close();
        assertEquals(CloseReason.HANDLER_ERROR, r.nextClose(5000));
        assertTrue(r.errors.get(0) instanceof IllegalStateException);
        LineClient b = connect(s);
        b.send("4\n");
        assertEquals("4\n", b.readLine(), "the loop keeps serving other connections");
    }

    @Test
    void writesFromAnotherThreadArriveInOrder() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Connection> conns = new java.util.concurrent.LinkedBlockingQueue<>();
        Server s = start(new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                conns.add(connection);
            }

            @Override
            public void onFrame(Connection connection, ByteBuffer frame) {}
        });
        LineClient c = connect(s);
        Connection conn = conns.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(conn);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String line = "async " + i + "\n";
            expected.append(line);
            conn.write(line.getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(expected.toString(), c.readString(expected.length()));
        conn.close();
        assertTrue(c.awaitClosed());
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        Recorder r = new Recorder();
        Server s = start(builder(r).idleTimeout(Duration.ofMillis(200)));
        LineClient c = connect(s);
        c.send("x\n");
        assertEquals("x\n", c.readLine());
        long t0 = System.nanoTime();
        assertTrue(c.awaitClosed());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 150, "closed after " + ms + " ms, before the idle timeout");
        assertEquals(CloseReason.IDLE, r.nextClose(5000));
    }

    @Test
    void slowlorisIsBoundedByTheLineLimit() throws Exception {
        Recorder r = new Recorder();
        Server s = start(builder(r).framing(Framing.lines(64)));
        LineClient c = connect(s);
        for (int i = 0; i < 70; i++) {
            c.send("z");
        }
        assertEquals("ERR line too long (max 64 bytes)\n", c.readLine());
        assertTrue(c.awaitClosed());
    }

    @Test
    void errLineSurvivesAClientThatKeepsSending() throws Exception {
        Recorder r = new Recorder();
        Server s = start(builder(r).framing(Framing.lines(32)));
        LineClient c = connect(s);
        byte[] junk = repeat('j', 4096).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 64; i++) { // 256 KiB after the error: closing at once would send RST
            c.send(junk);
        }
        assertEquals("ERR line too long (max 32 bytes)\n", c.readLine());
        assertTrue(c.awaitClosed());
        c.close();
        assertEquals(CloseReason.FRAMING_ERROR, r.nextClose(5000));
    }

    @Test
    void gracefulCloseIsForcedWhenThePeerNeverReads() throws Exception {
        Recorder r = new Recorder().quiet();
        Server s = start(builder(r).writeBufferWaterMarks(1 << 20, 64 << 20));
        fillAClientThatNeverReads(s);
        Connection conn = r.opened.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(conn);
        long t0 = System.nanoTime();
        conn.close();
        // our replies never drain, so our FIN never goes: the server gives up after its close
        // timeout without progress
        assertEquals(CloseReason.LOCAL, r.nextClose(15_000));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 4000, "forced after " + ms + " ms, before the 5 s close timeout");
    }

    @Test
    void gracefulCloseEndsOnceThePeerHasEverythingEvenIfItNeverCloses() throws Exception {
        Recorder r = new Recorder();
        Server s = start(r);
        LineClient c = connect(s);
        c.send("x\n");
        assertEquals("x\n", c.readLine());
        Connection conn = r.opened.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(conn);
        long t0 = System.nanoTime();
        conn.close();
        assertTrue(c.awaitClosed(), "FIN after close()");
        // we never close our side, but we have every reply: lingering protects nothing more
        assertEquals(CloseReason.LOCAL, r.nextClose(15_000));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "closed " + ms + " ms after close(): lingered without reason");
    }

    @Test
    void maxConnectionsIsNeverExceeded() throws Exception {
        Recorder r = new Recorder();
        Server s = start(builder(r).maxConnections(5));
        List<LineClient> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LineClient c = connect(s);
            c.send("hi\n");
            assertEquals("hi\n", c.readLine());
            accepted.add(c);
        }
        for (int i = 0; i < 3; i++) {
            LineClient extra = connect(s);
            assertTrue(extra.awaitClosed(), "connection over the limit is closed at once");
        }
        assertEquals(5, s.openConnections());
        assertEquals(3, s.rejectedConnections());
        accepted.get(0).close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.openConnections() > 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        LineClient again = connect(s);
        again.send("room again\n");
        assertEquals("room again\n", again.readLine());
    }

    @Test
    void slowReaderIsPausedAtTheHighWatermarkAndOthersAreUnaffected() throws Exception {
        AtomicReference<Connection> slow = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong maxQueued = new java.util.concurrent.atomic.AtomicLong();
        Recorder r = new Recorder() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) throws Exception {
                super.onFrame(connection, frame);
                if (connection == slow.get()) {
                    maxQueued.accumulateAndGet(connection.queuedBytes(), Math::max);
                }
            }
        }.quiet();
        long high = 256 * 1024;
        Server s = start(builder(r).writeBufferWaterMarks(64 * 1024, high).readBufferSize(16 * 1024));
        LineClient reader = connect(s);
        Socket raw = new Socket();
        clients.add(raw);
        raw.setReceiveBufferSize(16 * 1024);
        raw.connect(LineClient.loopback(s.localAddress()), 5000);
        slow.set(r.opened.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        slow.set(r.opened.poll(5, java.util.concurrent.TimeUnit.SECONDS)); // the second accepted is `raw`
        assertNotNull(slow.get());
        byte[] line = (repeat('s', 1023) + "\n").getBytes(StandardCharsets.US_ASCII);
        AtomicInteger written = new AtomicInteger();
        Thread flood = new Thread(() -> {
            try {
                OutputStream o = raw.getOutputStream();
                for (int i = 0; i < 64 * 1024; i++) { // 64 MiB if nothing stopped it
                    o.write(line);
                    written.incrementAndGet();
                }
            } catch (IOException expectedWhenClosed) {
                // the test closes the socket while this thread is blocked in write
            }
        }, "test-flood");
        flood.setDaemon(true);
        flood.start();
        Thread.sleep(1500);
        int kib = written.get();
        assertTrue(kib < 32 * 1024, "the server kept reading from a client that never reads: " + kib + " KiB");
        assertTrue(maxQueued.get() <= high + 16 * 1024 + 64 * 1024,
                "queued output bounded near the high watermark, was " + maxQueued.get());
        reader.send("others fine\n");
        assertEquals("others fine\n", reader.readLine());
        raw.close();
        flood.join(5000);
    }

    // ---- shutdown ----------------------------------------------------------------------------

    @Test
    void shutdownDrainsInFlightLinesAndRefusesNewConnections() throws Exception {
        Recorder r = new Recorder().quiet();
        Server s = start(r);
        int clientsCount = 50;
        List<LineClient> cs = new ArrayList<>();
        for (int i = 0; i < clientsCount; i++) {
            LineClient c = connect(s);
            c.send("hello\n");
            assertEquals("hello\n", c.readLine()); // accepted and served before the load starts
            cs.add(c);
        }
        List<Thread> writers = new ArrayList<>();
        List<ByteArrayOutputStream> sent = new ArrayList<>();
        List<CompletableFuture<byte[]>> received = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < clientsCount; i++) {
            LineClient c = cs.get(i);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            sent.add(log);
            int id = i;
            Thread w = new Thread(() -> {
                try {
                    OutputStream o = c.socket().getOutputStream();
                    for (int n = 0; !stop.get() && n < 1_000_000; n++) {
                        byte[] b = ("client " + id + " line " + n + "\n").getBytes(StandardCharsets.US_ASCII);
                        // send each line in two pieces so shutdown often finds a partial line
                        o.write(b, 0, b.length / 2);
                        synchronized (log) {
                            log.write(b, 0, b.length / 2);
                        }
                        o.write(b, b.length / 2, b.length - b.length / 2);
                        synchronized (log) {
                            log.write(b, b.length / 2, b.length - b.length / 2);
                        }
                    }
                } catch (IOException expected) {
                    // the server closed the connection during the drain
                }
            }, "test-writer-" + i);
            w.setDaemon(true);
            writers.add(w);
            received.add(io.pollwire.testing.OnThread.supply("test-reader-" + i, c::readToEnd));
        }
        writers.forEach(Thread::start);
        Thread.sleep(300);
        long t0 = System.nanoTime();
        CompletableFuture<ShutdownReport> f = s.shutdown(Duration.ofSeconds(10));
        // new connections are refused once the listener is closed (phase 1)
        long deadline = System.nanoTime() + 3_000_000_000L;
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(LineClient.loopback(s.localAddress()), 1000);
                Thread.sleep(5);
            } catch (IOException e) {
                refused = true;
            }
        }
        assertTrue(refused, "connections still accepted after shutdown began");
        // Each client sees the server's FIN once its replies are flushed (phase 3); only then do
        // the clients stop sending and send their own FIN, as well-behaved clients do. Stopping
        // earlier could close a connection before the drain reached it, which is legal but is
        // not what this test is about.
        for (int i = 0; i < clientsCount; i++) {
            received.get(i).get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        stop.set(true);
        for (int i = 0; i < clientsCount; i++) {
            writers.get(i).join(5000);
            cs.get(i).shutdownOutput();
        }
        ShutdownReport report = f.get(20, java.util.concurrent.TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "shutdown took " + ms + " ms");
        // the refusal probes may have been accepted just before the listener closed: they drain too
        assertTrue(report.openAtStart() >= clientsCount, report + "; closed: " + r.closeEvents);
        for (int i = 0; i < clientsCount; i++) {
            byte[] got = received.get(i).get(10, java.util.concurrent.TimeUnit.SECONDS);
            byte[] all;
            synchronized (sent.get(i)) {
                all = sent.get(i).toByteArray();
            }
            assertTrue(got.length <= all.length, "client " + i + " got more than it sent");
            assertArrayEquals(java.util.Arrays.copyOf(all, got.length), got,
                    "client " + i + ": the echo must be a prefix of what was sent");
            assertTrue(got.length == 0 || got[got.length - 1] == '\n',
                    "client " + i + ": the echo must end with a whole line");
        }
        assertEquals(0, report.forced(), report.toString());
        assertEquals(report.openAtStart(), report.drained(), report.toString());
    }

    /** Connects a client that sends 4 MiB of lines and reads none of the echoes (more than the socket buffers hold). */
    private void fillAClientThatNeverReads(Server s) throws IOException, InterruptedException {
        Socket stuck = new Socket();
        clients.add(stuck);
        stuck.setReceiveBufferSize(8 * 1024);
        stuck.connect(LineClient.loopback(s.localAddress()), 5000);
        byte[] line = (repeat('q', 4095) + "\n").getBytes(StandardCharsets.US_ASCII);
        OutputStream o = stuck.getOutputStream();
        for (int i = 0; i < 1024; i++) {
            o.write(line);
        }
        Thread.sleep(200);
    }

    @Test
    void drainTimeoutForcesAClientThatNeverReads() throws Exception {
        Recorder r = new Recorder().quiet();
        Server s = start(builder(r).writeBufferWaterMarks(1 << 20, 64 << 20));
        fillAClientThatNeverReads(s);
        long t0 = System.nanoTime();
        ShutdownReport report = s.shutdown(Duration.ofSeconds(1)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, report.forced(), report.toString());
        assertTrue(report.timedOut());
        assertTrue(ms >= 900 && ms < 4000, "shutdown took " + ms + " ms for a 1 s drain timeout");
        assertEquals(CloseReason.SHUTDOWN, r.nextClose(5000));
    }

    @Test
    void shutdownIsIdempotentAndCallableFromAHandler() throws Exception {
        AtomicReference<Server> self = new AtomicReference<>();
        AtomicReference<CompletableFuture<ShutdownReport>> fromHandler = new AtomicReference<>();
        Server s = start(new ConnectionHandler() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) {
                connection.echo();
                fromHandler.set(self.get().shutdown(Duration.ofSeconds(5)));
            }
        });
        self.set(s);
        LineClient c = connect(s);
        c.send("stop\n");
        assertEquals("stop\n", c.readLine(), "the reply of the line that triggered shutdown is delivered");
        assertTrue(c.awaitClosed(), "the drain sends FIN");
        c.close();
        ShutdownReport report = s.shutdown(Duration.ofSeconds(5)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(fromHandler.get() != null && report == fromHandler.get().join(), "same report for every caller");
        assertEquals(report, s.shutdown(Duration.ZERO).join());
        s.close(); // AutoCloseable after shutdown: no-op
        assertEquals(1, report.drained(), report.toString());
    }

    @Test
    void shutdownNowForcesAtOnce() throws Exception {
        // a reply that is never sent holds the graceful drain: only shutdownNow ends it
        Server s = start(new ConnectionHandler() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) {
                connection.echo();
                connection.deferReply();
            }
        });
        LineClient c = connect(s);
        c.send("x\n");
        assertEquals("x\n", c.readLine());
        CompletableFuture<ShutdownReport> graceful = s.shutdown(Duration.ofSeconds(30));
        Thread.sleep(100);
        ShutdownReport report = s.shutdownNow().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(report, graceful.join());
        assertEquals(1, report.forced(), report.toString());
        assertEquals(1, report.repliesAbandoned(), report.toString());
        assertTrue(report.elapsed().toMillis() < 10_000);
    }

    @Test
    void wakeupDuringCloseDoesNotHang() throws Exception {
        Server s = start(new Recorder().quiet());
        AtomicReference<Throwable> error = new AtomicReference<>();
        Consumer<Integer> hammer = i -> {
            try (LineClient c = new LineClient(s.localAddress(), 2000)) {
                c.send("x\n");
                c.readLine();
            } catch (IOException expected) {
                // refused or reset once the server closes
            } catch (Throwable t) {
                error.set(t);
            }
        };
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                for (int n = 0; n < 200; n++) {
                    hammer.accept(k);
                }
            }, "test-hammer-" + i);
            t.start();
            ts.add(t);
        }
        Thread.sleep(50);
        s.shutdown(Duration.ofSeconds(2)).get(15, java.util.concurrent.TimeUnit.SECONDS);
        for (Thread t : ts) {
            t.join(15_000);
            assertTrue(!t.isAlive(), "client thread stuck");
        }
        assertEquals(null, error.get());
    }
}
