// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pollwire.Client;
import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.DeferredReply;
import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.testing.Collector;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Recorder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Outbound connections on every transport: connect to a listening port, a refused port, a
 * blackholed one (timeout), IPv6, a host name, 1,000 connections from one loop, connect then
 * close at once, a server handler connecting out on its own loop, and outbound connections in
 * the shutdown report, linked ones (made with {@code Connection.connect}) drained with the
 * connection they were opened from. Every address is on loopback.
 */
public abstract class OutboundContract extends TransportContract {
    protected OutboundContract(Transport transport) {
        super(transport);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private Server echoServer() throws IOException {
        return start(builder(new Recorder().quiet()));
    }

    /** A port nothing listens on (bound, then closed again). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectsToAListeningPort() throws Exception {
        Server server = echoServer();
        Collector got = new Collector();
        Client client = build(clientBuilder(got));
        Connection c = client.connect(server.localAddress()).get(5, TimeUnit.SECONDS);
        assertEquals(server.localAddress(), c.remoteAddress());
        assertInstanceOf(InetSocketAddress.class, c.localAddress());
        assertTrue(c.isOpen());
        c.write(ascii("ping\n"));
        assertEquals("ping", got.nextFrame(5000));
        Thread loop = got.openThreads.poll(1, TimeUnit.SECONDS);
        assertTrue(loop.getName().startsWith("pollwire-test-client-"), loop.getName());
        assertSame(loop, got.frameThreads.poll(1, TimeUnit.SECONDS), "frames arrive on the loop that opened it");
    }

    @Test
    void refusedPortFailsWithConnectExceptionNamingTheAddress() throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort());
        Collector got = new Collector();
        Client client = build(clientBuilder(got));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(target).get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, e.getCause());
        assertEquals("connect(" + target + ") failed: Connection refused", e.getCause().getMessage());
        assertTrue(got.openThreads.isEmpty() && got.closes.isEmpty(), "a connection that never opened gets no callbacks");
        assertEquals(0, client.openConnections());
    }

    /**
     * A listener whose accept queue is full and that never accepts: Linux drops further SYNs
     * (tcp_abort_on_overflow=0), so a connect stays in progress until our timeout; nothing leaves
     * loopback.
     */
    @Test
    void blackholedPortTimesOutWithSocketTimeoutException() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
            for (int i = 0; i < 4; i++) {
                Socket filler = closeLater(new Socket());
                try {
                    filler.connect(target, 200);
                } catch (SocketTimeoutException expectedOnceFull) {
                    // the queue is full: exactly the state the test wants
                }
            }
            Client client = build(clientBuilder(new Collector()).connectTimeout(Duration.ofMillis(300)));
            long t0 = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.connect(target).get(10, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertInstanceOf(SocketTimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().startsWith("connect(" + target + ") timed out after "),
                    e.getCause().getMessage());
            assertTrue(ms >= 250 && ms < 5000, "timed out after " + ms + " ms");
            assertEquals(0, client.openConnections());
        }
    }

    @Test
    void connectsOverIpv6() throws Exception {
        InetAddress v6;
        try {
            v6 = InetAddress.getByName("::1");
            new ServerSocket(0, 1, v6).close();
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        Server server = start(builder(new Recorder().quiet()).bind(new InetSocketAddress(v6, 0)));
        Collector got = new Collector();
        Client client = build(clientBuilder(got));
        Connection c = client.connect(server.localAddress()).get(5, TimeUnit.SECONDS);
        assertEquals(v6, ((InetSocketAddress) c.remoteAddress()).getAddress());
        c.write(ascii("six\n"));
        assertEquals("six", got.nextFrame(5000));
    }

    @Test
    void hostNameIsResolvedOffTheLoop() throws Exception {
        Server server = echoServer();
        Collector got = new Collector();
        Client client = build(clientBuilder(got));
        Connection c = client.connect("localhost", server.localAddress().getPort()).get(5, TimeUnit.SECONDS);
        c.write(ascii("named\n"));
        assertEquals("named", got.nextFrame(5000));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect("no-such-host.invalid", 80).get(30, TimeUnit.SECONDS));
        assertInstanceOf(java.net.UnknownHostException.class, e.getCause());
    }

    @Test
    void thousandConnectionsFromOneLoop() throws Exception {
        Server server = start(builder(new Recorder().quiet()).backlog(2048));
        Collector got = new Collector();
        Client client = build(clientBuilder(got).loops(1));
        int n = 1000;
        List<CompletableFuture<Connection>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(client.connect(server.localAddress()));
        }
        List<Connection> conns = new ArrayList<>();
        for (CompletableFuture<Connection> f : futures) {
            conns.add(f.get(30, TimeUnit.SECONDS));
        }
        assertEquals(n, client.openConnections());
        for (int i = 0; i < n; i++) {
            conns.get(i).write(ascii("c" + i + "\n"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            seen.add(got.nextFrame(10_000));
        }
        assertEquals(n, seen.size());
        Set<Thread> threads = new HashSet<>(got.openThreads);
        threads.addAll(got.frameThreads);
        assertEquals(1, threads.size(), "one loop made and served them all: " + threads);
        for (Connection c : conns) {
            c.close();
        }
        for (int i = 0; i < n; i++) {
            got.nextClose(10_000);
        }
        assertEquals(0, client.openConnections());
    }

    @Test
    void connectThenImmediateClose() throws Exception {
        Recorder serverSide = new Recorder();
        Server server = start(builder(serverSide));
        Collector got = new Collector();
        Client client = build(clientBuilder(got));
        for (int i = 0; i < 20; i++) {
            client.connect(server.localAddress()).thenAccept(Connection::close).get(5, TimeUnit.SECONDS);
            assertEquals(CloseReason.LOCAL, got.nextClose(5000));
            assertEquals(CloseReason.PEER_CLOSED, serverSide.nextClose(5000));
        }
        assertEquals(0, client.openConnections());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, server.openConnections());
    }

    /**
     * A line proxy in a few lines: the front server's handler connects to the backend on its own
     * loop and passes lines both ways; every callback of both connections runs on that thread.
     */
    @Test
    void serverHandlerConnectsOutOnItsOwnLoop() throws Exception {
        Server backend = echoServer();
        AtomicReference<String> wrongThread = new AtomicReference<>();
        ConnectionHandler front = new ConnectionHandler() {
            @Override
            public void onOpen(Connection in) {
                Thread mine = Thread.currentThread();
                ConnectionHandler back = (out, frame) -> {
                    if (Thread.currentThread() != mine) {
                        wrongThread.set("backend frame on " + Thread.currentThread().getName() + ", not " + mine.getName());
                    }
                    byte[] line = new byte[frame.remaining() + 1];
                    frame.get(line, 0, line.length - 1);
                    line[line.length - 1] = '\n';
                    in.write(line);
                };
                in.connect(backend.localAddress(), Framing.lines(), back).whenComplete((out, error) -> {
                    if (Thread.currentThread() != mine) {
                        wrongThread.set("connect completed on " + Thread.currentThread().getName());
                    }
                    if (error != null) {
                        in.abort();
                    } else {
                        in.attach(out);
                    }
                });
            }

            @Override
            public void onFrame(Connection in, ByteBuffer frame) {
                Connection out = in.attachment();
                byte[] line = new byte[frame.remaining() + 1];
                frame.get(line, 0, line.length - 1);
                line[line.length - 1] = '\n';
                out.write(line);
            }

            @Override
            public void onClose(Connection in, CloseReason reason, Throwable cause) {
                Connection out = in.attachment();
                if (out != null) {
                    out.close();
                }
            }
        };
        Server proxy = start(builder(front));
        try (LineClient c = new LineClient(proxy.localAddress())) {
            Thread.sleep(100); // let the backend connect complete before the first line
            for (int i = 0; i < 50; i++) {
                c.send("line " + i + "\n");
                assertEquals("line " + i + "\n", c.readLine());
            }
        }
        assertEquals(null, wrongThread.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((proxy.openConnections() > 0 || backend.openConnections() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, proxy.openConnections(), "front and its outbound connection closed");
        assertEquals(0, backend.openConnections());
    }

    @Test
    void idleTimeoutClosesAQuietOutboundConnection() throws Exception {
        Server server = echoServer();
        Collector got = new Collector();
        Client client = build(clientBuilder(got).idleTimeout(Duration.ofMillis(200)));
        Connection c = client.connect(server.localAddress()).get(5, TimeUnit.SECONDS);
        c.write(ascii("then silence\n"));
        assertEquals("then silence", got.nextFrame(5000));
        assertEquals(CloseReason.IDLE, got.nextClose(5000));
        assertEquals(0, client.openConnections());
    }

    @Test
    void outboundConnectionsDrainInTheShutdownReport() throws Exception {
        Server server = echoServer();
        Collector got = new Collector();
        Client client = clientBuilder(got).build(); // shut down by the test itself
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conns.add(client.connect(server.localAddress()).get(5, TimeUnit.SECONDS));
        }
        conns.get(0).write(ascii("last words\n"));
        ShutdownReport report = client.shutdown(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertEquals(3, report.openAtStart(), report.toString());
        assertEquals(3, report.drained(), report.toString());
        assertEquals(0, report.forced(), report.toString());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(server.localAddress()).get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("shutting down"), e.getCause().getMessage());
    }

    @Test
    void clientOnTheServersLoopsDrainsWithTheServer() throws Exception {
        Server backend = echoServer();
        Server server = start(builder(new Recorder().quiet()).loops(1));
        Collector got = new Collector();
        Client client = build(clientBuilder(got).shareLoopsOf(server));
        Connection c = client.connect(backend.localAddress()).get(5, TimeUnit.SECONDS);
        c.write(ascii("shared\n"));
        assertEquals("shared", got.nextFrame(5000));
        assertTrue(got.openThreads.poll(1, TimeUnit.SECONDS).getName().startsWith("pollwire-test-"));
        assertEquals(1, server.openConnections(), "the outbound connection counts on the server's loops");
        ShutdownReport report = server.shutdown(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertEquals(1, report.openAtStart(), report.toString());
        assertEquals(1, report.drained(), report.toString());
    }

    /**
     * A handler holding a deferred reply while it waits on the outbound connection it opened:
     * the drain keeps reading that connection, so the reply arrives after the backend's delay,
     * not at the timeout; then the pooled outbound connection, idle, closes with its parent.
     */
    @Test
    void aDeferredReplyWaitingOnItsOwnOutboundConnectionFinishesTheDrain() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        Server backend = start(builder((conn, frame) -> {
            DeferredReply r = conn.deferReply();
            asked.countDown();
            conn.schedule(Duration.ofMillis(300), () -> r.send(ascii("pong\n")));
        }));
        ConnectionHandler front = (in, frame) -> {
            DeferredReply reply = in.deferReply();
            ConnectionHandler back = (out, answer) -> {
                byte[] line = new byte[answer.remaining() + 1];
                answer.get(line, 0, line.length - 1);
                line[line.length - 1] = '\n';
                reply.send(line); // the outbound connection stays open, as a pool would keep it
            };
            in.connect(backend.localAddress(), Framing.lines(), back).whenComplete((out, error) -> {
                if (error != null) {
                    reply.abandon();
                    in.close();
                } else {
                    out.write(ascii("ping\n"));
                }
            });
        };
        Server server = start(builder(front));
        try (LineClient c = new LineClient(server.localAddress(), 10_000)) {
            c.send("go\n");
            assertTrue(asked.await(5, TimeUnit.SECONDS), "the backend got the request");
            ShutdownReport report = server.shutdown(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
            assertEquals("pong\n", new String(c.readToEnd(), StandardCharsets.US_ASCII), "the reply, then EOF");
            assertEquals(2, report.openAtStart(), report.toString());
            assertEquals(2, report.drained(), report.toString());
            assertEquals(1, report.drainedWithReplies(), report.toString());
            assertTrue(report.isClean() && !report.timedOut(), report.toString());
            assertTrue(report.elapsed().toMillis() < 3000, "the backend's delay, not the timeout: " + report);
        }
        assertEquals(0, server.openConnections());
    }

    /** Outside a drain the link does nothing: the parent's close leaves its outbound connection open. */
    @Test
    void closingTheParentOutsideADrainLeavesItsOutboundConnectionOpen() throws Exception {
        Server backend = echoServer();
        CompletableFuture<Connection> child = new CompletableFuture<>();
        Collector echoes = new Collector();
        Server server = start(builder((in, frame) -> {
            in.connect(backend.localAddress(), Framing.lines(), echoes).whenComplete((out, error) -> {
                if (error != null) {
                    child.completeExceptionally(error);
                } else {
                    child.complete(out);
                }
                in.close();
            });
        }));
        try (LineClient c = new LineClient(server.localAddress(), 10_000)) {
            c.send("go\n");
            assertTrue(c.awaitClosed(), "the parent closed");
        }
        Connection out = child.get(5, TimeUnit.SECONDS);
        Thread.sleep(100);
        assertTrue(out.isOpen(), "the child outlives its parent outside a drain");
        out.write(ascii("still here\n"));
        assertEquals("still here", echoes.nextFrame(5000));
        out.close();
    }
}
