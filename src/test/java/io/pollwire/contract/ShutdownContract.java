// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.Transport;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Recorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Shutdown: the drain (stop accepting, finish in-flight lines, FIN, count), its timeout, calls
 * from a handler and from several callers, shutdownNow, and wakeups racing the close. Run
 * against every transport by a subclass per transport.
 */
public abstract class ShutdownContract extends TransportContract {
    protected ShutdownContract(Transport transport) {
        super(transport);
    }

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
        // a reply that is never sent holds the graceful drain: only shutdownNow ends it (an idle
        // connection no longer would: the drain closes it at once)
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
