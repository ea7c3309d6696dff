// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.IdleStrategy;
import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.Transport;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Recorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connections, threads and loops: half-closure, a thousand connections at once, writes from a
 * thread that is not the loop, IPv6, busy-spinning loops, one listener per loop with
 * SO_REUSEPORT, and a loop that dies. Run against every transport by a subclass per transport.
 */
public abstract class ConnectionsAndLoopsContract extends TransportContract {
    protected ConnectionsAndLoopsContract(Transport transport) {
        super(transport);
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
}
