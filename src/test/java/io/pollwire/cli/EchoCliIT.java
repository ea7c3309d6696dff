// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Transport;
import io.pollwire.testing.CliProcess;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The echo server as a user runs it: {@code java -jar target/pollwire-<v>.jar echo ...} in its
 * own process, with real signals and exit codes. Run by failsafe after the jar is packaged.
 */
@Timeout(120)
class EchoCliIT {
    private static void assumeTransport(String transport) {
        if (transport.equals("epoll")) {
            NativeSupport.assumeAvailable(Transport.EPOLL);
        }
    }

    private static CliProcess startEcho(String transport, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("echo", "--host", "127.0.0.1", "--port", "0",
                "--transport", transport, "--loops", "2"));
        args.addAll(Arrays.asList(extra));
        return CliProcess.start(args.toArray(new String[0]));
    }

    @Test
    void versionAndNoCommand() throws Exception {
        try (CliProcess p = CliProcess.start("--version")) {
            assertEquals(0, p.awaitExit(30_000));
            // the jar's manifest version, not the "(development build)" of a class directory
            assertTrue(p.stdoutLines().size() == 1 && p.stdoutLines().get(0).matches("pollwire \\d+\\.\\d+\\.\\d+\\S*"),
                    p.stdoutLines().toString());
        }
        try (CliProcess p = CliProcess.start()) {
            assertEquals(2, p.awaitExit(30_000));
            assertTrue(p.stderr().startsWith("pollwire: no command given"), p.stderr());
        }
    }

    @Test
    void bogusFlagPrintsOneLineAndExitsTwo() throws Exception {
        try (CliProcess p = CliProcess.start("echo", "--bogus", "1")) {
            assertEquals(2, p.awaitExit(30_000));
            assertEquals("pollwire echo: unknown option --bogus (usage: java -jar pollwire.jar echo --help)",
                    p.stderr().strip(), p.stderr());
        }
    }

    @Test
    void infoShowsTheTransports() throws Exception {
        try (CliProcess p = CliProcess.start("info")) {
            assertEquals(0, p.awaitExit(30_000));
            String out = String.join("\n", p.stdoutLines());
            assertTrue(out.contains("NIO: available"), out);
            if (NativeSupport.required()) {
                assertTrue(out.contains("EPOLL: available") || out.contains("KQUEUE: available"), out);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void echoesLinesAndExitsZeroOnSigterm(String transport) throws Exception {
        assumeTransport(transport);
        try (CliProcess p = startEcho(transport)) {
            InetSocketAddress addr = p.awaitListening(30_000);
            try (LineClient c = new LineClient(addr)) {
                c.send("abc\ndef\r\n");
                assertEquals("abc\n", c.readLine());
                assertEquals("def\r\n", c.readLine());
            }
            // printf 'abc\ndef\n' | nc -q1 ...: the partial last line comes back too
            try (LineClient c = new LineClient(addr)) {
                c.send("one\ntwo");
                c.shutdownOutput();
                assertEquals("one\ntwo", new String(c.readToEnd(), StandardCharsets.US_ASCII));
            }
            p.terminate();
            assertEquals(0, p.awaitExit(30_000), p.stderr());
            assertTrue(p.stderr().contains("shutdown: 0 connections open, 0 drained (0 idle closed, 0 after their replies), 0 forced"), p.stderr());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void sigtermMidStreamLosesNothing(String transport) throws Exception {
        assumeTransport(transport);
        try (CliProcess p = startEcho(transport)) {
            InetSocketAddress addr = p.awaitListening(30_000);
            int n = 20;
            List<LineClient> clients = new ArrayList<>();
            List<ByteArrayOutputStream> sent = new ArrayList<>();
            List<CompletableFuture<byte[]>> echoed = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            for (int i = 0; i < n; i++) {
                LineClient c = new LineClient(addr);
                clients.add(c);
                c.send("hi\n");
                assertEquals("hi\n", c.readLine()); // accepted and served before the load starts
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                sent.add(log);
                int id = i;
                writers.add(new Thread(() -> {
                    try {
                        OutputStream o = c.socket().getOutputStream();
                        for (int k = 0; !stop.get(); k++) {
                            byte[] line = ("c" + id + " n" + k + " " + "x".repeat(k % 50) + "\n")
                                    .getBytes(StandardCharsets.US_ASCII);
                            synchronized (log) {
                                log.write(line);
                            }
                            o.write(line);
                        }
                        c.shutdownOutput();
                    } catch (IOException expected) {
                        // the server closed its side and then the connection
                    }
                }, "writer-" + i));
                echoed.add(io.pollwire.testing.OnThread.supply("reader-" + i, c::readToEnd));
            }
            writers.forEach(Thread::start);
            Thread.sleep(500);
            p.terminate();
            // every client sees the server's FIN once its connection has drained; only then do
            // the clients stop sending and close their side, as well-behaved clients do
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                got.add(echoed.get(i).get(30, TimeUnit.SECONDS));
            }
            stop.set(true);
            for (Thread w : writers) {
                w.join(10_000);
            }
            int code = p.awaitExit(30_000);
            for (int i = 0; i < n; i++) {
                byte[] all;
                synchronized (sent.get(i)) {
                    all = sent.get(i).toByteArray();
                }
                byte[] g = got.get(i);
                assertTrue(g.length > 0, "client " + i + " got no echo at all");
                assertArrayEquals(Arrays.copyOf(all, g.length), g, "client " + i + ": a prefix of what it sent");
                assertEquals('\n', g[g.length - 1], "client " + i + ": made of whole lines");
                clients.get(i).close();
            }
            assertEquals(0, code, p.stderr());
            assertTrue(p.stderr().contains(n + " connections open, " + n + " drained ("), p.stderr());
            assertTrue(p.stderr().contains(", 0 forced, 0 replies abandoned"), p.stderr());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void stuckReaderIsForcedAfterTheShutdownTimeout(String transport) throws Exception {
        assumeTransport(transport);
        try (CliProcess p = startEcho(transport, "--shutdown-timeout", "2s");
                Socket stuck = new Socket()) {
            InetSocketAddress addr = p.awaitListening(30_000);
            stuck.setReceiveBufferSize(8192);
            stuck.connect(addr, 5000);
            fillUntilBlocked(stuck);
            long t0 = System.nanoTime();
            p.terminate();
            int code = p.awaitExit(30_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(EchoCommand.EXIT_FORCED, code, p.stderr());
            assertTrue(ms >= 1800 && ms < 10_000, "exited after " + ms + " ms with a 2 s drain timeout");
            assertTrue(p.stderr().contains("1 forced"), p.stderr());
        }
    }

    @Test
    void secondSignalForcesImmediately() throws Exception {
        try (CliProcess p = startEcho("nio", "--shutdown-timeout", "60s"); Socket stuck = new Socket()) {
            InetSocketAddress addr = p.awaitListening(30_000);
            stuck.setReceiveBufferSize(8192);
            stuck.connect(addr, 5000);
            fillUntilBlocked(stuck);
            long t0 = System.nanoTime();
            p.signal("INT");
            Thread.sleep(300);
            p.signal("HUP");
            int code = p.awaitExit(30_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(EchoCommand.EXIT_FORCED, code, p.stderr());
            assertTrue(ms < 10_000, "second signal should force, took " + ms + " ms");
            assertTrue(p.stderr().contains("forcing shutdown"), p.stderr());
        }
    }

    /** Writes lines without reading until the server stops reading us (backpressure). */
    private static void fillUntilBlocked(Socket s) throws Exception {
        byte[] line = ("y".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
        Thread w = new Thread(() -> {
            try {
                OutputStream o = s.getOutputStream();
                for (int i = 0; i < 32 * 1024; i++) {
                    o.write(line);
                }
            } catch (IOException expected) {
                // closed by the server when it is forced
            }
        }, "filler");
        w.setDaemon(true);
        w.start();
        Thread.sleep(1000);
        assertTrue(w.isAlive(), "the server kept reading a client that never reads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void survivesRunningOutOfFileDescriptors(String transport) throws Exception {
        assumeTransport(transport);
        // The JVM itself holds some descriptors; 128 leaves room for a few dozen connections.
        try (CliProcess p = CliProcess.startWithShellPrefix("ulimit -n 128 &&", "echo", "--host", "127.0.0.1",
                "--port", "0", "--transport", transport, "--loops", "1")) {
            InetSocketAddress addr = p.awaitListening(30_000);
            List<Socket> flood = new ArrayList<>();
            try (LineClient first = new LineClient(addr)) {
                first.send("before\n");
                assertEquals("before\n", first.readLine());
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket();
                    flood.add(s);
                    s.connect(addr, 5000); // completes in the kernel backlog even when accept fails
                }
                Thread.sleep(500);
                assertTrue(p.isAlive(), "server died: " + p.stderr());
                first.send("during\n");
                assertEquals("during\n", first.readLine(), "existing connections keep being served");
                for (Socket s : flood) {
                    s.close();
                }
                flood.clear();
                Thread.sleep(300);
                try (LineClient after = new LineClient(addr)) {
                    after.send("after\n");
                    assertEquals("after\n", after.readLine(), "accepts again once descriptors are free");
                }
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            String err = p.stderr();
            int warnings = err.split("pausing accepts", -1).length - 1;
            assertTrue(warnings >= 1, "the pause is logged: " + err);
            assertTrue(warnings <= 5, "logged once per burst, not per failed accept: " + warnings + "\n" + err);
            p.terminate();
            assertEquals(0, p.awaitExit(30_000), err);
        }
    }
}
