// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Client;
import io.pollwire.CloseReason;
import io.pollwire.Server;
import io.pollwire.ServerStats;
import io.pollwire.ShutdownReport;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Recorder;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@link Server#stats()} and {@link Client#stats()} count what really happened on the wire:
 * connections accepted, rejected and closed by reason, bytes, frames, framing errors, the
 * write-queue high-water mark, drains, outbound connects. Run against every transport.
 */
public abstract class StatsContract extends TransportContract {
    protected StatsContract(Transport transport) {
        super(transport);
    }

    @Test
    void countsConnectionsBytesAndFramesOfEchoingClients() throws Exception {
        Recorder r = new Recorder().quiet();
        Server s = start(r);
        int clients = 20;
        long sent = 0;
        for (int i = 0; i < clients; i++) {
            LineClient c = connect(s);
            String lines = "client " + i + " a\nclient " + i + " b\nclient " + i + " c\n";
            c.send(lines);
            assertEquals(lines, c.readString(lines.length()));
            sent += lines.length();
            c.close();
        }
        ServerStats st = await(s, x -> x.closed() == clients);
        assertEquals(clients, st.accepted());
        assertEquals(0, st.rejected());
        assertEquals(0, st.openConnections());
        assertEquals(3L * clients, st.frames());
        assertEquals(sent, st.bytesRead());
        assertEquals(sent, st.bytesWritten());
        assertEquals(0, st.framingErrors());
        for (CloseReason reason : CloseReason.values()) {
            long seen = r.closed.values().stream().filter(reason::equals).count();
            assertEquals(seen, st.closed(reason), reason + " in " + st);
        }
        assertEquals(clients, st.closed(CloseReason.PEER_CLOSED), st.toString());
    }

    /**
     * A handler that lists its frames gets them counted; one that passes a read's frames back
     * whole (Frames.echoAll, the echo server) does not pay for a count: bytes only.
     */
    @Test
    void framesAreCountedWhenListedAndNotWhenEchoedWhole() throws Exception {
        Server listing = start(builder(new io.pollwire.ConnectionHandler() {
            @Override
            public void onFrame(io.pollwire.Connection conn, java.nio.ByteBuffer frame) {
                conn.echo();
            }
        }));
        Server whole = start(builder(new io.pollwire.ConnectionHandler() {
            @Override
            public void onFrame(io.pollwire.Connection conn, java.nio.ByteBuffer frame) {
                throw new AssertionError("onFrames is overridden");
            }

            @Override
            public void onFrames(io.pollwire.Connection conn, io.pollwire.Frames frames) {
                frames.echoAll();
            }
        }));
        String lines = "a\nbb\nccc\nd\n";
        for (Server s : List.of(listing, whole)) {
            LineClient c = connect(s);
            c.send(lines);
            assertEquals(lines, c.readString(lines.length()));
            c.close();
        }
        ServerStats listed = await(listing, x -> x.closed() == 1);
        ServerStats echoed = await(whole, x -> x.closed() == 1);
        assertEquals(4, listed.frames(), listed.toString());
        assertEquals(0, echoed.frames(), echoed.toString());
        assertEquals(lines.length(), echoed.bytesRead(), echoed.toString());
        assertEquals(lines.length(), echoed.bytesWritten(), echoed.toString());
    }

    @Test
    void countsAFramingErrorAndItsClose() throws Exception {
        Server s = start(builder(new Recorder().quiet()).framing(Framing.lines(16)));
        LineClient c = connect(s);
        c.send("short\n" + repeat('x', 40) + "\n");
        assertEquals("short\n", c.readLine());
        assertTrue(c.readLine().startsWith("ERR line too long"));
        ServerStats st = await(s, x -> x.closed(CloseReason.FRAMING_ERROR) == 1);
        assertEquals(1, st.framingErrors());
        assertEquals(1, st.frames(), "the line before the over-long one");
        assertEquals(1, st.closed());
    }

    @Test
    void countsAConnectionShedForTheMemoryBudget() throws Exception {
        // a partial frame over 4 KiB may take 3/4 of the budget: 48 KiB of 64 KiB
        Server s = start(builder(new Recorder().quiet()).framing(Framing.lines(1024 * 1024))
                .maxBufferedBytes(64 * 1024));
        LineClient c = connect(s);
        c.send(repeat('x', 60_000));
        assertEquals("ERR server busy\n", c.readLine());
        ServerStats st = await(s, x -> x.closed(CloseReason.OVERLOADED) == 1);
        assertEquals(1, st.shedConnections());
        assertEquals(0, st.frames());
        assertEquals(0, st.framingErrors(), "shedding is not a framing error");
        assertEquals(0, st.bufferedBytes(), "the partial frame was dropped");
    }

    @Test
    void countsConnectionsRejectedByMaxConnections() throws Exception {
        Server s = start(builder(new Recorder().quiet()).maxConnections(1));
        LineClient first = connect(s);
        first.send("hi\n");
        assertEquals("hi\n", first.readLine());
        LineClient second = connect(s);
        assertTrue(second.awaitClosed(), "the second connection is closed at once");
        ServerStats st = await(s, x -> x.rejected() == 1);
        assertEquals(1, st.accepted());
        assertEquals(1, st.openConnections());
        assertEquals(0, st.closed(), "a rejected connection never opened");
    }

    @Test
    void countsTheWriteQueueHighWaterMarkOfAClientThatDoesNotRead() throws Exception {
        Server s = start(new Recorder().quiet());
        assertEquals(0, s.stats().writeQueueHighWater());
        fillAClientThatNeverReads(s);
        ServerStats st = await(s, x -> x.writeQueueHighWater() > 64 * 1024);
        assertTrue(st.writeQueueHighWater() <= 4 * 1024 * 1024, st.toString());
        assertTrue(st.bytesRead() > st.bytesWritten(), "replies are stuck in the queue: " + st);
    }

    @Test
    void countsDrainsAndTheirCloses() throws Exception {
        Server s = start(new Recorder().quiet());
        List<LineClient> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LineClient c = connect(s);
            c.send("hello\n");
            assertEquals("hello\n", c.readLine());
            idle.add(c);
        }
        assertEquals(0, s.stats().drainsStarted());
        ShutdownReport report = s.shutdown(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        ServerStats st = s.stats();
        assertEquals(report.openAtStart(), st.drainsStarted(), report + " / " + st);
        assertEquals(report.drained(), st.drainsCompleted(), report + " / " + st);
        assertEquals(3, st.drainsCompleted());
        assertEquals(3, st.closed(CloseReason.SHUTDOWN));
        for (LineClient c : idle) {
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void aClientCountsItsOutboundConnectsOpenedAndFailed() throws Exception {
        Server s = start(new Recorder().quiet());
        Client client = build(clientBuilder(new Recorder().quiet()));
        client.connect(s.localAddress()).get(10, TimeUnit.SECONDS);
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, s.localAddress().getAddress())) {
            closedPort = gone.getLocalPort();
        }
        try {
            client.connect(new InetSocketAddress(s.localAddress().getAddress(), closedPort)).join();
            throw new AssertionError("connected to a closed port");
        } catch (CompletionException e) {
            assertTrue(e.getCause() instanceof ConnectException, e.toString());
        }
        ServerStats st = client.stats();
        assertEquals(1, st.outboundOpened());
        assertEquals(1, st.outboundFailed());
        assertEquals(0, st.accepted(), "the client's own loops accept nothing");
        assertEquals(1, st.openConnections());
        assertEquals(1, await(s, x -> x.accepted() == 1).openConnections());
    }

    /** Polls {@code s.stats()} until {@code done} holds (10 s at most). */
    private static ServerStats await(Server s, Predicate<ServerStats> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ServerStats st = s.stats();
        while (!done.test(st) && System.nanoTime() < deadline) {
            Thread.sleep(5);
            st = s.stats();
        }
        assertTrue(done.test(st), "stats never got there: " + st);
        return st;
    }
}
