// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Client;
import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.testing.Leaks;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import io.pollwire.transport.kqueue.KqueuePoller;
import io.pollwire.transport.unix.NativeIoException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every transport contract shares, as Netty's testsuite shares its socket tests: the
 * transport under test (given by the small per-transport subclass, e.g. {@code
 * EpollShutdownTest extends ShutdownContract}, which also carries the JUnit tags that choose the
 * surefire execution), servers on loopback with an ephemeral port, clients with read timeouts,
 * and the check that a contract class leaked no descriptor and no thread.
 *
 * <p>The contracts: {@link WireFramingContract}, {@link LimitsAndBadClientsContract}, {@link
 * ConnectionsAndLoopsContract}, {@link ShutdownContract}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
public abstract class TransportContract {
    protected static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final Transport transport;
    private final List<Server> servers = new ArrayList<>();
    /** Closed after each test, before its servers. */
    protected final List<AutoCloseable> clients = new ArrayList<>();
    /** pollwire {@link Client}s, shut down after each test after {@link #clients}. */
    private final List<Client> connectors = new ArrayList<>();
    private int fdsBefore;

    protected TransportContract(Transport transport) {
        this.transport = transport;
    }

    /** @return the transport under test */
    protected final Transport transport() {
        return transport;
    }

    @BeforeAll
    void checkTransportAndCountFds() {
        NativeSupport.assumeAvailable(transport); // skips (or fails, when native is required)
        if (transport == Transport.KQUEUE) {
            // libkqueue (Linux) opens process-wide descriptors with its first kqueue and keeps
            // them: open them before the suite takes its descriptor baseline.
            try {
                new KqueuePoller(1).close();
            } catch (NativeIoException e) {
                throw new IllegalStateException(e);
            }
        }
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
        for (Client c : connectors) {
            c.shutdown(Duration.ZERO).join();
        }
        connectors.clear();
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

    protected Server.Builder builder(ConnectionHandler handler) {
        return Server.builder().transport(transport).bind(LOOPBACK).loops(2).handler(handler)
                .daemonThreads(true).name("pollwire-test-" + transport.name().toLowerCase());
    }

    protected Server start(Server.Builder b) throws IOException {
        Server s = b.start();
        servers.add(s);
        assertEquals(transport, s.transport());
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

    /**
     * Connects a client that sends 4 MiB of lines and reads none of the echoes: more than the
     * socket buffers hold, so the server's replies stay queued.
     */
    protected void fillAClientThatNeverReads(Server s) throws IOException, InterruptedException {
        java.net.Socket stuck = new java.net.Socket();
        clients.add(stuck);
        stuck.setReceiveBufferSize(8 * 1024);
        stuck.connect(LineClient.loopback(s.localAddress()), 5000);
        byte[] line = (repeat('q', 4095) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.OutputStream o = stuck.getOutputStream();
        for (int i = 0; i < 1024; i++) {
            o.write(line);
        }
        Thread.sleep(200);
    }

    /** A pollwire client builder on the transport under test: one daemon loop. */
    protected Client.Builder clientBuilder(ConnectionHandler handler) {
        return Client.builder().transport(transport).handler(handler).daemonThreads(true)
                .name("pollwire-test-client-" + transport.name().toLowerCase());
    }

    /** Builds {@code b} and shuts the client down after the test. */
    protected Client build(Client.Builder b) throws IOException {
        Client c = b.build();
        connectors.add(c);
        assertEquals(transport, c.transport());
        return c;
    }

    /** Closes {@code c} after the test, with the clients. */
    protected <T extends AutoCloseable> T closeLater(T c) {
        clients.add(c);
        return c;
    }

    protected static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }
}
