// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Recorder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Limits and bad clients: overlong lines, slowloris, resets, handlers that throw, framings that
 * fail, idle and never-closing peers, too many connections and clients that never read. Each
 * costs only its own connection, within configured bounds, while the others keep working.
 * Run against every transport by a subclass per transport.
 */
public abstract class LimitsAndBadClientsContract extends TransportContract {
    protected LimitsAndBadClientsContract(Transport transport) {
        super(transport);
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

    /** A reset's cause is a java.net.SocketException on every transport, as the JDK's is. */
    @Test
    void aResetIsReportedWithASocketExceptionCause() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> cause = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<CloseReason> why = new java.util.concurrent.CompletableFuture<>();
        Server s = start(new io.pollwire.ConnectionHandler() {
            @Override
            public void onFrame(Connection conn, ByteBuffer frame) {
                conn.echo();
            }

            @Override
            public void onClose(Connection conn, CloseReason reason, Throwable t) {
                why.complete(reason);
                cause.complete(t);
            }
        });
        LineClient c = connect(s);
        c.send("abc\n");
        assertEquals("abc\n", c.readLine());
        c.reset();
        CloseReason reason = why.get(5, java.util.concurrent.TimeUnit.SECONDS);
        Throwable t = cause.get(5, java.util.concurrent.TimeUnit.SECONDS);
        if (reason == CloseReason.RESET) {
            assertTrue(t instanceof java.net.SocketException, "cause: " + t);
        } else {
            assertEquals(CloseReason.PEER_CLOSED, reason, "cause: " + t); // the RST raced our read: seen as EOF
        }
    }

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
        assertEquals(3, s.stats().rejected());
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
}
