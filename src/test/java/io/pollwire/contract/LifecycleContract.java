// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.DeferredReply;
import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.Transport;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Replier;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection lifecycle contract (DESIGN.md section 7, issue 13), byte for byte on every
 * transport: order across threads, deferred replies, owed-versus-idle drain, half-closure, run
 * on the loop, bind errors, flow control, and seeded random interleavings of all of them.
 * Subclassed once per transport ({@code *LifecycleTest}), like the other {@link TransportContract}s.
 */
public abstract class LifecycleContract extends TransportContract {
    private final List<java.util.concurrent.ExecutorService> executors = new ArrayList<>();
    protected ScheduledExecutorService executor;

    protected LifecycleContract(Transport transport) {
        super(transport);
    }

    @AfterEach
    void stopExecutors() throws InterruptedException {
        for (java.util.concurrent.ExecutorService e : executors) {
            e.shutdownNow();
            assertTrue(e.awaitTermination(5, TimeUnit.SECONDS), "test executor stuck");
        }
        executors.clear();
    }

    protected Replier replier() {
        executor = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "test-executor");
            t.setDaemon(true);
            return t;
        });
        executors.add(executor);
        return new Replier(executor);
    }

    // ---- drain: idle at once, owed after their replies ------------------------------------

    @Test
    void idlePooledClientsAreClosedAtOnceByAShutdown() throws Exception {
        Server s = start(replier());
        List<LineClient> pool = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pool.add(connect(s));
        }
        pool.get(0).send("inline c0 ping\n");
        assertEquals("ping\n", pool.get(0).readLine());
        awaitOpen(s, 5);
        ShutdownReport report = s.shutdown(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        assertTrue(report.elapsed().toMillis() < 1000, "idle connections held the drain: " + report);
        assertEquals(5, report.openAtStart(), report.toString());
        assertEquals(5, report.idleClosed(), report.toString());
        assertEquals(0, report.forced(), report.toString());
        assertTrue(report.isClean(), report.toString());
        for (LineClient c : pool) {
            assertEquals(0, c.readToEnd().length, "a clean EOF (a reset would throw)");
        }
    }

    @Test
    void deferredRepliesAreSentInRequestOrderDuringAShutdown() throws Exception {
        Replier r = replier();
        Server s = start(r);
        LineClient c = connect(s);
        // completed in reverse order: 300, 200, 100 ms; inline answers between them
        c.send("defer c 300 one\ninline c two\ndefer c 200 three\ninline c four\ndefer c 100 five\n");
        awaitHandled(r, "c", 5);
        Thread.sleep(50);
        CompletableFuture<ShutdownReport> f = s.shutdown(Duration.ofSeconds(5));
        assertEquals("one\ntwo\nthree\nfour\nfive\n", new String(c.readToEnd(), StandardCharsets.US_ASCII),
                "every reply, in request order, then a clean EOF");
        ShutdownReport report = f.get(10, TimeUnit.SECONDS);
        assertEquals(1, report.drainedWithReplies(), report.toString());
        assertEquals(0, report.forced(), report.toString());
        assertEquals(0, report.repliesAbandoned(), report.toString());
        assertTrue(report.elapsed().toMillis() < 3000, report.toString());
        assertEquals(0, r.refused.get());
    }

    @Test
    void deferredRepliesSurviveTheClientsHalfClose() throws Exception {
        Replier r = replier();
        Server s = start(r);
        LineClient c = connect(s);
        // printf 'GET k\n' | nc -q1 host port
        c.send("defer c 300 VALUE k\ninline c END\n");
        c.shutdownOutput();
        assertEquals("VALUE k\nEND\n", new String(c.readToEnd(), StandardCharsets.US_ASCII));
        assertNotNull(r.inputClosed.poll(5, TimeUnit.SECONDS), "onInputClosed");
        assertEquals(CloseReason.PEER_CLOSED, r.closeEvents.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aStuckDeferredReplyIsAbandonedAndCountedAtTheDrainTimeout() throws Exception {
        Replier r = replier();
        Server s = start(r);
        LineClient c = connect(s);
        c.send("inline c before\nstuck c\ninline c after\n");
        assertEquals("before\n", c.readLine());
        awaitHandled(r, "c", 3);
        long t0 = System.nanoTime();
        ShutdownReport report = s.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 900 && ms < 4000, "took " + ms + " ms for a 1 s drain timeout");
        assertEquals(1, report.repliesAbandoned(), report.toString());
        assertEquals(1, report.forced(), report.toString());
        assertTrue(report.timedOut() && !report.isClean(), report.toString());
        DeferredReply stuck = r.stuck.get(0);
        assertTrue(stuck.isDone());
        assertFalse(stuck.send("too late".getBytes(StandardCharsets.US_ASCII)), "abandoned: send says false");
        assertTrue(c.awaitClosed());
        assertEquals(CloseReason.SHUTDOWN, r.closeEvents.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void abandonReleasesTheReservedPlace() throws Exception {
        AtomicReference<DeferredReply> held = new AtomicReference<>();
        Server s = start((conn, frame) -> {
            if (held.get() == null) {
                held.set(conn.deferReply());
            }
            conn.write("after\n".getBytes(StandardCharsets.US_ASCII));
        });
        LineClient c = connect(s);
        c.send("x\n");
        Thread.sleep(100);
        assertEquals(0, c.socket().getInputStream().available(), "held behind the reserved reply");
        held.get().abandon();
        assertThrows(IllegalStateException.class, () -> held.get().send(new byte[1]));
        assertEquals("after\n", c.readLine());
    }

    @Test
    void aHandlerExceptionReleasesItsReservedReplies() throws Exception {
        AtomicReference<DeferredReply> held = new AtomicReference<>();
        Server s = start(new ConnectionHandler() {
            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {
                held.set(conn.deferReply());
                conn.write("behind\n".getBytes(StandardCharsets.US_ASCII));
                throw new IllegalStateException("handler bug");
            }

            @Override
            public void onError(Connection connection, Throwable error) {
                // expected
            }
        });
        LineClient c = connect(s);
        c.send("x\n");
        assertEquals("behind\n", new String(c.readToEnd(), StandardCharsets.US_ASCII),
                "what was written behind the reply goes out, then the close");
        assertTrue(held.get().isDone());
        assertFalse(held.get().send(new byte[] {'z'}), "given up: send says false");
    }

    @Test
    void writesAfterCloseReturnFalse() throws Exception {
        LinkedBlockingQueue<Boolean> results = new LinkedBlockingQueue<>();
        AtomicReference<Connection> conn = new AtomicReference<>();
        Server s = start((c, frame) -> {
            conn.set(c);
            results.add(c.write("bye\n".getBytes(StandardCharsets.US_ASCII)));
            c.close();
            results.add(c.write("lost\n".getBytes(StandardCharsets.US_ASCII)));
        });
        LineClient c = connect(s);
        c.send("x\n");
        assertEquals("bye\n", c.readLine());
        assertEquals(Boolean.TRUE, results.poll(5, TimeUnit.SECONDS));
        assertEquals(Boolean.FALSE, results.poll(5, TimeUnit.SECONDS), "on the loop, after close()");
        assertFalse(conn.get().write(new byte[] {'z'}), "from another thread, after close()");
        assertTrue(conn.get().deferReply().isDone());
        assertTrue(c.awaitClosed());
    }

    // ---- order -----------------------------------------------------------------------------

    @Test
    void writesReachThePeerInHappensBeforeOrderAcrossThreads() throws Exception {
        replier();
        ScheduledExecutorService ex = executor;
        Server s = start((conn, frame) -> {
            if (frame.get(frame.position()) == 'g') { // "go": an executor writes, we wait for it
                CountDownLatch written = new CountDownLatch(1);
                ex.execute(() -> {
                    conn.write("first\n".getBytes(StandardCharsets.US_ASCII));
                    written.countDown();
                });
                written.await();
            } else { // "next"
                conn.write("second\n".getBytes(StandardCharsets.US_ASCII));
            }
        });
        LineClient c = connect(s);
        for (int i = 0; i < 1000; i++) {
            c.send("go\nnext\n");
            assertEquals("first\n", c.readLine(), "iteration " + i);
            assertEquals("second\n", c.readLine(), "iteration " + i);
        }
    }

    // ---- half-closure ------------------------------------------------------------------------

    @Test
    void allowHalfClosureKeepsOutputOpenUntilTheApplicationCloses() throws Exception {
        Replier r = replier();
        ScheduledExecutorService ex = executor;
        Server s = start(builder(new ConnectionHandler() {
            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {
                conn.write("got\n".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void onInputClosed(Connection conn) {
                ex.schedule(() -> {
                    conn.write("late\n".getBytes(StandardCharsets.US_ASCII));
                    conn.close();
                }, 300, TimeUnit.MILLISECONDS);
            }
        }).allowHalfClosure(true));
        LineClient c = connect(s);
        c.send("x\n");
        c.shutdownOutput();
        assertEquals("got\nlate\n", new String(c.readToEnd(), StandardCharsets.US_ASCII));
        assertEquals(0, r.errors.size());
    }

    /**
     * onDrain: called once per connection on its loop, before the drain decides whether it owes
     * anything, so a reply reserved there is waited for (Go's RegisterOnShutdown, per connection);
     * a connection whose handler does nothing there closes at once, as an idle one.
     */
    @Test
    void onDrainRunsOnceOnTheLoopAndAReplyReservedThereIsSentBeforeTheClose() throws Exception {
        List<Thread> drainThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> loopThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Server s = start(new ConnectionHandler() {
            @Override
            public void onOpen(Connection conn) {
                loopThreads.add(Thread.currentThread());
            }

            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {
                conn.write("ok\n".getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void onDrain(Connection conn) {
                drainThreads.add(Thread.currentThread());
                DeferredReply goodbye = conn.deferReply();
                conn.schedule(Duration.ofMillis(200), () -> goodbye.send("bye\n".getBytes(StandardCharsets.US_ASCII)));
            }
        });
        LineClient c = connect(s);
        c.send("hi\n");
        assertEquals("ok\n", c.readLine());
        ShutdownReport report = s.shutdown(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        assertEquals("bye\n", new String(c.readToEnd(), StandardCharsets.US_ASCII), "the reserved reply, then EOF");
        assertEquals(1, drainThreads.size(), "onDrain once");
        assertEquals(loopThreads, drainThreads, "onDrain on the connection's loop");
        assertEquals(1, report.drainedWithReplies(), report.toString());
        assertEquals(0, report.idleClosed(), report.toString());
        assertTrue(report.isClean() && !report.timedOut(), report.toString());
    }

    /**
     * The forced phase counts every outstanding reply before it closes anything: here the first
     * connection's onClose gives up the second one's reply (as a proxy side gives up its pair's
     * awaited answer), which a count taken connection by connection, closing as it goes, missed.
     */
    @Test
    void forcedRepliesAreCountedBeforeAnyOnCloseCanReleaseThem() throws Exception {
        AtomicReference<DeferredReply> second = new AtomicReference<>();
        CountDownLatch held = new CountDownLatch(2);
        Server s = start(builder(new ConnectionHandler() {
            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {
                String what = StandardCharsets.US_ASCII.decode(frame).toString();
                DeferredReply r = conn.deferReply(); // never sent
                if (what.equals("second")) {
                    second.set(r);
                } else {
                    conn.attach(what);
                }
                held.countDown();
            }

            @Override
            public void onClose(Connection conn, CloseReason reason, Throwable cause) {
                DeferredReply r = second.get();
                if ("first".equals(conn.attachment()) && r != null) {
                    r.abandon();
                }
            }
        }).loops(1)); // one loop: the first connection is closed first
        LineClient first = connect(s);
        first.send("first\n");
        LineClient other = connect(s);
        other.send("second\n");
        assertTrue(held.await(5, TimeUnit.SECONDS));
        ShutdownReport report = s.shutdown(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);
        assertTrue(report.timedOut(), report.toString());
        assertEquals(2, report.forced(), report.toString());
        assertEquals(2, report.repliesAbandoned(), "both replies were outstanding at the timeout: " + report);
    }

    // ---- run on the loop ----------------------------------------------------------------------

    @Test
    void executorAndScheduleRunOnTheConnectionsLoop() throws Exception {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        CompletableFuture<Thread> loopThread = new CompletableFuture<>();
        Server s = start(new ConnectionHandler() {
            @Override
            public void onOpen(Connection conn) {
                loopThread.complete(Thread.currentThread());
                opened.complete(conn);
            }

            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {}
        });
        connect(s);
        Connection conn = opened.get(5, TimeUnit.SECONDS);
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        conn.executor().execute(() -> ran.complete(Thread.currentThread()));
        assertEquals(loopThread.get(), ran.get(5, TimeUnit.SECONDS));

        CompletableFuture<Long> fired = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Future<Void> timer = conn.schedule(Duration.ofMillis(100), () -> {
            assertEquals(loopThread.join(), Thread.currentThread());
            fired.complete(System.nanoTime() - t0);
        });
        assertTrue(fired.get(5, TimeUnit.SECONDS) >= 90_000_000L, "fired before its delay");
        timer.get(5, TimeUnit.SECONDS);

        CompletableFuture<Void> never = new CompletableFuture<>();
        Future<Void> cancelled = conn.schedule(Duration.ofMillis(100), () -> never.complete(null));
        assertTrue(cancelled.cancel(false));
        Thread.sleep(250);
        assertFalse(never.isDone(), "a cancelled timer does not run");
    }

    // ---- bind errors ---------------------------------------------------------------------------

    @Test
    void aPortInUseIsABindExceptionNamingTheAddress() throws Exception {
        Server s = start(replier());
        InetSocketAddress taken = s.localAddress();
        BindException e = assertThrows(BindException.class,
                () -> start(builder(replier()).bind(taken)));
        assertTrue(e.getMessage().contains(taken.getAddress().getHostAddress() + ":" + taken.getPort()),
                e.getMessage());
    }

    // ---- flow control ----------------------------------------------------------------------

    /**
     * A writer thread that is not the reader streams 1 GiB (override with
     * {@code -Dpollwire.test.streamBytes}) to a client reading through a small receive buffer:
     * it writes while {@code isWritable()} and waits for {@code onWritabilityChanged} otherwise,
     * so the connection's queue stays near the high watermark whatever the volume.
     */
    @Test
    @Timeout(180)
    void aWriterThatRespectsWritabilityStreamsAGibibyteWithBoundedMemory() throws Exception {
        long total = Long.getLong("pollwire.test.streamBytes", 1L << 30);
        long high = 256 * 1024;
        int chunk = 64 * 1024;
        java.util.concurrent.Semaphore changed = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.atomic.AtomicLong maxQueued = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        Server s = start(builder(new ConnectionHandler() {
            @Override
            public void onOpen(Connection conn) {
                opened.complete(conn);
            }

            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {}

            @Override
            public void onWritabilityChanged(Connection conn) {
                changes.incrementAndGet();
                changed.release();
            }
        }).writeBufferWaterMarks(64 * 1024, high).loops(1));
        java.net.Socket client = new java.net.Socket();
        clients.add(client);
        client.setReceiveBufferSize(32 * 1024);
        client.connect(LineClient.loopback(s.localAddress()), 5000);
        client.setSoTimeout(30_000);
        Connection conn = opened.get(5, TimeUnit.SECONDS);
        Thread writer = new Thread(() -> {
            byte[] bytes = new byte[chunk];
            try {
                for (long sent = 0; sent < total; sent += chunk) {
                    while (!conn.isWritable()) {
                        if (!changed.tryAcquire(20, TimeUnit.SECONDS)) {
                            throw new AssertionError("no onWritabilityChanged while not writable");
                        }
                    }
                    for (int i = 0; i < chunk; i += 4096) {
                        bytes[i] = (byte) ((sent + i) >>> 12);
                    }
                    if (!conn.write(bytes)) {
                        throw new AssertionError("write refused after " + sent + " bytes");
                    }
                    maxQueued.accumulateAndGet(conn.queuedBytes(), Math::max);
                }
            } catch (Throwable t) {
                writerError.set(t);
            }
        }, "test-stream-writer");
        writer.setDaemon(true);
        writer.start();
        Thread.sleep(300); // the writer meets the watermark before the client reads at all
        java.io.InputStream in = client.getInputStream();
        byte[] buf = new byte[16 * 1024];
        long received = 0;
        while (received < total) {
            int n = in.read(buf);
            assertTrue(n > 0, "stream ended after " + received + " bytes; writer: " + writerError.get());
            for (int i = 0; i < n; i++) {
                long at = received + i;
                if ((at & 4095) == 0 && buf[i] != (byte) (at >>> 12)) {
                    throw new AssertionError("byte " + at + " out of order");
                }
            }
            received += n;
        }
        writer.join(10_000);
        assertNull(writerError.get());
        assertEquals(total, received);
        assertTrue(changes.get() >= 2, "writability changed " + changes.get() + " times");
        // the writer may pass the high watermark by the chunk that crosses it; its view from its
        // own thread may count a chunk being handed to the loop twice for a moment
        assertTrue(maxQueued.get() <= high + 2L * chunk, "queue bounded by the watermark: " + maxQueued.get());
    }

    @Test
    void pauseAndResumeReadingFromAnotherThread() throws Exception {
        Replier r = replier();
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        Server s = start(new ConnectionHandler() {
            @Override
            public void onOpen(Connection conn) {
                conn.pauseReading();
                opened.complete(conn);
            }

            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {
                r.onFrame(conn, frame);
            }
        });
        LineClient c = connect(s);
        Connection conn = opened.get(5, TimeUnit.SECONDS);
        c.send("inline c one\n");
        Thread.sleep(200);
        assertEquals(0, r.handled("c"), "read while paused");
        conn.resumeReading();
        assertEquals("one\n", c.readLine());
        conn.pauseReading();
        conn.write("paused\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("paused\n", c.readLine(), "writing goes on while reading is paused");
        c.send("inline c two\n");
        Thread.sleep(200);
        assertEquals(1, r.handled("c"));
        conn.resumeReading();
        assertEquals("two\n", c.readLine());
    }

    @Test
    void readingPausesAtTheDeferredReplyCap() throws Exception {
        Replier r = replier();
        Server s = start(builder(r).maxDeferredReplies(4));
        LineClient c = connect(s);
        for (int i = 0; i < 4; i++) {
            c.send("stuck c\n");
            awaitHandled(r, "c", i + 1);
        }
        c.send("inline c next\n");
        Thread.sleep(300);
        assertEquals(4, r.handled("c"), "read past the cap of outstanding deferred replies");
        r.stuck.get(0).send("a".getBytes(StandardCharsets.US_ASCII));
        r.stuck.get(1).abandon();
        assertEquals("a", c.readString(1));
        awaitHandled(r, "c", 5); // half of the cap is done: reading resumes
        r.stuck.get(2).send(new byte[] {'b'});
        r.stuck.get(3).send(new byte[] {'c'});
        assertEquals("bcnext\n", c.readString(7));
    }

    // ---- seeded random interleavings ---------------------------------------------------------

    static List<Long> seeds() {
        String fixed = System.getProperty("pollwire.test.seed");
        if (fixed != null) {
            return List.of(Long.parseLong(fixed));
        }
        return List.of(1L, 2L, 3L, 4L, new java.util.Random().nextLong());
    }

    /**
     * Clients pipeline requests answered inline or by deferred replies completed in random order
     * on random executor threads; some half-close at a random point; the server shuts down at a
     * random moment. Every client receives exactly the replies to the requests the server
     * handled for it, in order, complete, then a clean EOF; nothing is forced or abandoned.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    void randomInterleavingsDeliverExactlyWhatIsOwedInOrder(long seed) throws Exception {
        String why = "seed " + seed + " (rerun with -Dpollwire.test.seed=" + seed + ")";
        java.util.Random rnd = new java.util.Random(seed);
        Replier r = replier();
        Server s = start(r);
        int clients = 8;
        List<LineClient> cs = new ArrayList<>();
        List<List<String>> replies = new ArrayList<>();
        List<byte[]> streams = new ArrayList<>();
        List<Integer> halfCloseAt = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            cs.add(connect(s));
            int n = 10 + rnd.nextInt(60);
            List<String> expected = new ArrayList<>();
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < n; k++) {
                String text = "c" + i + "-r" + k + "-" + "x".repeat(rnd.nextInt(40));
                expected.add(text + "\n");
                out.append(rnd.nextInt(3) == 0 ? "inline c" + i + " " + text
                        : "defer c" + i + " " + rnd.nextInt(60) + " " + text).append('\n');
            }
            replies.add(expected);
            streams.add(out.toString().getBytes(StandardCharsets.US_ASCII));
            halfCloseAt.add(rnd.nextInt(3) == 0 ? rnd.nextInt(n + 1) : -1);
        }
        awaitOpen(s, clients);
        List<CompletableFuture<byte[]>> received = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            LineClient c = cs.get(i);
            received.add(io.pollwire.testing.OnThread.supply("test-reader-" + i, c::readToEnd));
            byte[] all = streams.get(i);
            int stop = halfCloseAt.get(i);
            long pieceSeed = rnd.nextLong();
            Thread t = new Thread(() -> sendInPieces(c, all, stop, pieceSeed), "test-sender-" + i);
            t.setDaemon(true);
            senders.add(t);
        }
        senders.forEach(Thread::start);
        Thread.sleep(rnd.nextInt(300));
        ShutdownReport report = s.shutdown(Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
        for (int i = 0; i < clients; i++) {
            String got = new String(received.get(i).get(20, TimeUnit.SECONDS), StandardCharsets.US_ASCII);
            int owed = r.handled("c" + i);
            String expected = String.join("", replies.get(i).subList(0, owed));
            assertEquals(expected, got, why + ": client " + i + " handled " + owed);
        }
        for (Thread t : senders) {
            t.join(5000);
        }
        assertEquals(0, report.forced(), why + ": " + report);
        assertEquals(0, report.repliesAbandoned(), why + ": " + report);
        assertEquals(0, r.refused.get(), why + ": a deferred reply was refused");
        assertEquals(List.of(), r.errors, why);
    }

    /** Sends {@code all} in random pieces; if {@code lines >= 0}, only that many lines, then FIN. */
    private static void sendInPieces(LineClient c, byte[] all, int lines, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        int end = all.length;
        if (lines >= 0) {
            end = 0;
            for (int k = 0; k < lines; k++) {
                while (all[end] != '\n') {
                    end++;
                }
                end++;
            }
        }
        try {
            for (int at = 0; at < end; ) {
                int n = Math.min(end - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 400));
                c.send(java.util.Arrays.copyOfRange(all, at, at + n));
                at += n;
                if (rnd.nextInt(8) == 0) {
                    Thread.sleep(rnd.nextInt(5));
                }
            }
            if (lines >= 0) {
                c.shutdownOutput();
            }
        } catch (IOException | InterruptedException expected) {
            // the server shut down and closed the connection while we were sending
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    static void awaitHandled(Replier r, String client, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (r.handled(client) < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(n, r.handled(client), "requests handled");
    }

    static void awaitOpen(Server s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.openConnections() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(n, s.openConnections());
    }
}
