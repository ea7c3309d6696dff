// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.testing.CliProcess;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import io.pollwire.testing.OnThread;
import io.pollwire.testing.Recorder;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar pollwire.jar proxy}: lines through the proxy to an echo backend (TCP and Unix
 * domain), SIGTERM draining the connections in flight (a slow backend's answer included), exit
 * 0, and a down backend named in one warning.
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

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** SIGTERM while the backend computes its answer (300 ms): the answer arrives, then EOF, exit 0. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void sigtermMidRequestWaitsForASlowBackendsAnswer(String transport) throws Exception {
        if (transport.equals("epoll")) {
            NativeSupport.assumeAvailable(Transport.EPOLL);
        }
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<Void> b = OnThread.supply("proxy-cli-backend", () -> {
                try (Socket s = backend.accept()) {
                    s.setSoTimeout(20_000);
                    InputStream in = s.getInputStream();
                    while (in.read() != '\n') {
                        // the request line
                    }
                    asked.countDown();
                    Thread.sleep(300);
                    s.getOutputStream().write("answer\n".getBytes(StandardCharsets.US_ASCII));
                    in.readAllBytes();
                }
                return null;
            });
            try (CliProcess p = CliProcess.start("proxy", "--host", "127.0.0.1", "--port", "0", "--transport",
                    transport, "--loops", "1", "--backend", "127.0.0.1:" + backend.getLocalPort());
                    LineClient c = new LineClient(p.awaitListening(30_000))) {
                assertTrue(p.listeningLine().contains("backend 127.0.0.1:" + backend.getLocalPort() + ")"),
                        p.listeningLine());
                c.send("question\n");
                assertTrue(asked.await(10, TimeUnit.SECONDS), "the backend got the request");
                p.terminate();
                assertEquals("answer\n", new String(c.readToEnd(), StandardCharsets.US_ASCII));
                assertEquals(0, p.awaitExit(30_000), p.stderr());
                assertTrue(p.stderr().contains("2 drained (1 idle closed, 1 after their replies), 0 forced"),
                        p.stderr());
                assertEquals(1, occurrences(p.stderr(), "pollwire shutdown:"), "the report once: " + p.stderr());
            }
            b.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDownBackendIsNamedInOneWarningAndTheClientsAreClosed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (CliProcess p = CliProcess.start("proxy", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                "--backend", "127.0.0.1:" + port)) {
            InetSocketAddress addr = p.awaitListening(30_000);
            for (int i = 0; i < 3; i++) {
                try (LineClient c = new LineClient(addr)) {
                    assertTrue(c.awaitClosed(), "client " + i + " closed");
                }
            }
            p.terminate();
            assertEquals(0, p.awaitExit(30_000), p.stderr());
            assertEquals(1, occurrences(p.stderr(), "WARNING: backend 127.0.0.1:" + port + " refused the connection"),
                    "one warning for three failures in a burst: " + p.stderr());
        }
    }
}
