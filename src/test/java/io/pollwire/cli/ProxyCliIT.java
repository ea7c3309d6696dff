// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.testing.CliProcess;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import io.pollwire.testing.Recorder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar pollwire.jar proxy}: lines through the proxy to an echo backend (TCP and Unix
 * domain), and SIGTERM draining the connections in flight, exit 0.
 */
@Timeout(120)
class ProxyCliIT {
    private static Server echo(java.net.SocketAddress where) throws Exception {
        return Server.builder().transport(Transport.NIO).bind(where).loops(1).handler(new Recorder().quiet())
                .daemonThreads(true).name("pollwire-test-backend").start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void forwardsLinesAndDrainsOnSigterm(String transport) throws Exception {
        if (transport.equals("epoll")) {
            NativeSupport.assumeAvailable(Transport.EPOLL);
        }
        Server backend = echo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (CliProcess p = CliProcess.start("proxy", "--host", "127.0.0.1", "--port", "0", "--transport", transport,
                "--loops", "1", "--backend", "127.0.0.1:" + backend.localAddress().getPort())) {
            InetSocketAddress addr = p.awaitListening(30_000);
            LineClient a = new LineClient(addr);
            LineClient b = new LineClient(addr);
            for (int i = 0; i < 100; i++) {
                a.send("a" + i + "\n");
                b.send("b" + i + "\n");
                assertEquals("a" + i + "\n", a.readLine());
                assertEquals("b" + i + "\n", b.readLine());
            }
            a.send("in flight\n");
            p.terminate();
            assertEquals("in flight\n", a.readLine()); // the drain sends what is owed, then FIN
            assertTrue(a.awaitClosed());
            assertTrue(b.awaitClosed());
            a.close();
            b.close();
            assertEquals(0, p.awaitExit(30_000), p.stderr());
            assertTrue(p.stderr().contains("0 forced"), p.stderr());
        } finally {
            backend.shutdownNow().join();
        }
    }

    @Test
    void forwardsToAUnixSocketBackend() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pw-proxy");
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("backend.sock"));
        Server backend = echo(path);
        try (CliProcess p = CliProcess.start("proxy", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                "--backend-unix", path.getPath().toString())) {
            InetSocketAddress addr = p.awaitListening(30_000);
            try (LineClient c = new LineClient(addr)) {
                c.send("via a path\n");
                assertEquals("via a path\n", c.readLine());
            }
            p.terminate();
            assertEquals(0, p.awaitExit(30_000), p.stderr());
        } finally {
            backend.shutdown(Duration.ofSeconds(5)).join();
            Files.deleteIfExists(path.getPath());
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void backendIsRequired() throws Exception {
        try (CliProcess p = CliProcess.start("proxy", "--port", "0")) {
            assertEquals(2, p.awaitExit(30_000));
            assertTrue(p.stderr().contains("give exactly one of --backend"), p.stderr());
        }
    }
}
