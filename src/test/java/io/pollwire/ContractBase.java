package io.pollwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.testing.Leaks;
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
 * What the outbound and Unix socket contract suites share: the transport under test, servers and
 * clients made on it and closed after each test, and the leak check after the class (no
 * descriptor, no pollwire thread left), as {@link TransportContractTest} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class ContractBase {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final List<Server> servers = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();
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
        for (AutoCloseable c : others) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the assertions already ran
            }
        }
        others.clear();
        for (Client c : clients) {
            c.shutdown(Duration.ZERO).join();
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

    /** A server builder on the transport under test: loopback, ephemeral port, 2 daemon loops. */
    Server.Builder serverBuilder(ConnectionHandler handler) {
        return Server.builder().transport(transport()).bind(LOOPBACK).loops(2).handler(handler)
                .daemonThreads(true).name("pollwire-test-" + transport().name().toLowerCase());
    }

    Server start(Server.Builder b) throws IOException {
        Server s = b.start();
        servers.add(s);
        assertEquals(transport(), s.transport());
        return s;
    }

    /** A client builder on the transport under test: one daemon loop. */
    Client.Builder clientBuilder(ConnectionHandler handler) {
        return Client.builder().transport(transport()).handler(handler).daemonThreads(true)
                .name("pollwire-test-client-" + transport().name().toLowerCase());
    }

    Client build(Client.Builder b) throws IOException {
        Client c = b.build();
        clients.add(c);
        assertEquals(transport(), c.transport());
        return c;
    }

    /** Closes {@code c} after the test. */
    <T extends AutoCloseable> T closeLater(T c) {
        others.add(c);
        return c;
    }
}
