package io.pollwire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Servers, clients and executors a contract test opens, closed after each test, and the
 * descriptor/thread leak check of the whole class. Loopback only, ephemeral ports.
 */
public final class ServerFixture {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final Transport transport;
    private final List<Server> servers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();
    private int fdsBefore;

    public ServerFixture(Transport transport) {
        this.transport = transport;
    }

    /** Takes the descriptor baseline: call from {@code @BeforeAll}, after the transport check. */
    public void baseline() {
        fdsBefore = Leaks.openFdsAfterJdkWarmUp();
    }

    public Server.Builder builder(ConnectionHandler handler) {
        return Server.builder().transport(transport).bind(LOOPBACK).loops(2).handler(handler)
                .daemonThreads(true).name("pollwire-test-" + transport.name().toLowerCase(java.util.Locale.ROOT));
    }

    public Server start(Server.Builder b) throws IOException {
        Server s = b.start();
        servers.add(s);
        assertEquals(transport, s.transport());
        return s;
    }

    public Server start(ConnectionHandler handler) throws IOException {
        return start(builder(handler));
    }

    public LineClient connect(Server s) throws IOException {
        return track(new LineClient(s.localAddress()));
    }

    public <T extends AutoCloseable> T track(T closeable) {
        clients.add(closeable);
        return closeable;
    }

    public <T extends ExecutorService> T track(T executor) {
        executors.add(executor);
        return executor;
    }

    /** Closes what the test opened: call from {@code @AfterEach}. */
    public void closeEverything() throws InterruptedException {
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
        for (ExecutorService e : executors) {
            e.shutdownNow();
            assertTrue(e.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS), "test executor stuck");
        }
        executors.clear();
    }

    /** No pollwire thread and no descriptor left behind: call from {@code @AfterAll}. */
    public void assertNoLeaks() throws InterruptedException {
        assertEquals(List.of(), Leaks.awaitNoPollwireThreads(5000), "pollwire threads left running");
        if (fdsBefore > 0) {
            int after = Leaks.awaitFds(fdsBefore, 5000);
            assertTrue(after <= fdsBefore, "file descriptors leaked: " + fdsBefore + " before, " + after + " after: "
                    + Leaks.describeIoFds());
        }
    }
}
