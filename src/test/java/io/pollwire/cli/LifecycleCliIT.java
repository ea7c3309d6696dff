// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Transport;
import io.pollwire.testing.CliProcess;
import io.pollwire.testing.DeferringService;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lifecycle contract as an operator meets it: SIGTERM on the {@code echo} command with a
 * client pool that keeps idle connections open, and on a service built with
 * {@link io.pollwire.ShutdownSignals} that answers from an executor.
 */
@Timeout(120)
class LifecycleCliIT {
    private static final Pattern TOOK = Pattern.compile("took (\\d+) ms");

    private static void assumeTransport(String transport) {
        if (transport.equalsIgnoreCase("epoll")) {
            NativeSupport.assumeAvailable(Transport.EPOLL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void idlePooledClientsLetSigtermExitZeroAtOnce(String transport) throws Exception {
        assumeTransport(transport);
        try (CliProcess p = CliProcess.start("echo", "--host", "127.0.0.1", "--port", "0", "--transport", transport,
                "--loops", "2")) {
            InetSocketAddress addr = p.awaitListening(30_000);
            List<LineClient> pool = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    pool.add(new LineClient(addr));
                }
                pool.get(0).send("ping\n");
                assertEquals("ping\n", pool.get(0).readLine());
                Thread.sleep(200); // every connection accepted
                long t0 = System.nanoTime();
                p.terminate();
                for (LineClient c : pool) {
                    assertEquals(0, c.readToEnd().length, "a clean EOF for every idle client");
                }
                int code = p.awaitExit(30_000);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(0, code, p.stderr());
                assertTrue(p.stderr().contains("5 connections open, 5 drained (5 idle closed, 0 after their replies), "
                        + "0 forced"), p.stderr());
                assertTrue(drainMillis(p.stderr()) < 1000, p.stderr());
                assertTrue(ms < 5000, "exited " + ms + " ms after SIGTERM");
            } finally {
                pool.forEach(LineClient::close);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"EPOLL", "NIO"})
    void aServiceUsingShutdownSignalsSendsItsDeferredRepliesThenExitsZero(String transport) throws Exception {
        assumeTransport(transport);
        try (CliProcess p = CliProcess.startClass(DeferringService.class, transport, "signals", "5000");
                LineClient c = new LineClient(p.awaitListening(30_000))) {
            c.send("defer c 500 one\ninline c two\n");
            Thread.sleep(100);
            p.terminate();
            assertEquals("one\ntwo\n", new String(c.readToEnd(), StandardCharsets.US_ASCII));
            assertEquals(0, p.awaitExit(30_000), p.stderr());
            assertTrue(p.stderr().contains("1 drained (0 idle closed, 1 after their replies), 0 forced"), p.stderr());
            assertEquals(1, p.stderr().split("pollwire shutdown:", -1).length - 1,
                    "the report once, not logged by the server and again as a notice: " + p.stderr());
        }
    }

    /**
     * A stuck deferred reply: abandoned at the drain timeout (one SIGTERM), or when a second
     * SIGTERM forces the shutdown, and the report says which. Exit 3 either way.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aStuckDeferredReplyIsAbandonedAndTheServiceExitsThree(int signals) throws Exception {
        String drainMillis = signals == 1 ? "1000" : "20000";
        try (CliProcess p = CliProcess.startClass(DeferringService.class, "NIO", "signals", drainMillis);
                LineClient c = new LineClient(p.awaitListening(30_000))) {
            c.send("inline c hi\nstuck c\n");
            assertEquals("hi\n", c.readLine());
            Thread.sleep(100);
            p.terminate();
            if (signals == 2) {
                Thread.sleep(300);
                p.terminate();
            }
            assertEquals(3, p.awaitExit(30_000), p.stderr());
            if (signals == 1) {
                assertTrue(p.stderr().contains("1 forced, 1 replies abandoned at the timeout"), p.stderr());
            } else {
                assertTrue(p.stderr().contains("1 forced, 1 replies abandoned when the shutdown was forced"),
                        p.stderr());
                assertTrue(p.stderr().contains("; forced by a second signal (SIGTERM)"), p.stderr());
                assertTrue(!p.stderr().contains("at the timeout") && !p.stderr().contains("timed out"), p.stderr());
            }
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void theReportIsLoggedWhenTheDrainRunsInAShutdownHook() throws Exception {
        try (CliProcess p = CliProcess.startClass(DeferringService.class, "NIO", "hook", "5000");
                LineClient c = new LineClient(p.awaitListening(30_000))) {
            c.send("defer c 300 one\n");
            Thread.sleep(100);
            p.terminate();
            assertEquals("one\n", new String(c.readToEnd(), StandardCharsets.US_ASCII));
            p.awaitExit(30_000);
            assertTrue(p.stderr().contains("pollwire shutdown: 1 connection open"), p.stderr());
        }
    }

    private static long drainMillis(String stderr) {
        Matcher m = TOOK.matcher(stderr);
        assertTrue(m.find(), stderr);
        return Long.parseLong(m.group(1));
    }
}
