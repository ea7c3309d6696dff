// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.observe.Loggers;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Recorder;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection lifecycle at DEBUG on {@code io.pollwire.loop}, through java.util.logging (the
 * default backend of {@code System.Logger}): opened with addresses, draining with the decision,
 * closed with the reason. A level set on {@code io.pollwire} reaches every component's logger.
 */
@Timeout(60)
class LifecycleLoggingTest {
    private final Logger root = Logger.getLogger(Loggers.ROOT);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLoggerName().equals("io.pollwire.loop") && r.getLevel() == java.util.logging.Level.FINE) {
                lines.add(r.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @AfterEach
    void restore() {
        root.setLevel(null);
        root.removeHandler(capture);
    }

    @Test
    void debugLinesTellOpenDrainAndCloseOfEachConnection() throws Exception {
        root.setLevel(java.util.logging.Level.FINE);
        root.addHandler(capture);
        assertTrue(Loggers.LOOP.isLoggable(Level.DEBUG), "the level set on io.pollwire reaches io.pollwire.loop");
        Recorder r = new Recorder().quiet();
        Server server = Server.builder().transport(Transport.NIO)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1).handler(r)
                .daemonThreads(true).name("pollwire-debuglog").start();
        long firstId;
        long secondId;
        try (LineClient first = new LineClient(server.localAddress());
                LineClient second = new LineClient(server.localAddress())) {
            first.send("a\n");
            assertEquals("a\n", first.readLine());
            firstId = r.opened.poll(5, TimeUnit.SECONDS).id();
            first.socket().close();
            assertEquals(CloseReason.PEER_CLOSED, r.nextClose(5000));
            second.send("b\n");
            assertEquals("b\n", second.readLine());
            secondId = r.opened.poll(5, TimeUnit.SECONDS).id();
            server.shutdown(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        String local = ", local " + server.localAddress();
        String accepted = "connection " + firstId + " accepted on pollwire-debuglog-loop-0: remote /127.0.0.1:";
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(accepted) && l.endsWith(local)), lines.toString());
        assertTrue(lines.contains("connection " + firstId + " closed: PEER_CLOSED"), lines.toString());
        assertTrue(lines.contains("connection " + secondId + " draining: idle, FIN now"), lines.toString());
        assertTrue(lines.contains("connection " + secondId + " closed: SHUTDOWN"), lines.toString());
    }

    @Test
    void aClientsShutdownReportIsDebugAServersInfo() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName().equals("io.pollwire.shutdown")) {
                    reports.add(r.getLevel() + " " + r.getParameters()[0]);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        root.setLevel(java.util.logging.Level.FINE);
        root.addHandler(h);
        try {
            Server server = Server.builder().transport(Transport.NIO)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1)
                    .handler(new Recorder().quiet()).daemonThreads(true).name("pollwire-reportlevel").start();
            try (io.pollwire.Client client = io.pollwire.Client.builder().transport(Transport.NIO)
                    .handler(new Recorder().quiet()).daemonThreads(true).build()) {
                client.connect(server.localAddress()).get(5, TimeUnit.SECONDS);
            }
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).startsWith("FINE shutdown: 1 connection open"), reports.toString());
            server.close();
            assertEquals(2, reports.size(), reports.toString());
            assertTrue(reports.get(1).startsWith("INFO shutdown: "), reports.toString());
        } finally {
            root.removeHandler(h);
        }
    }

    @Test
    void offByDefaultAndQuietenedFromTheParent() {
        assertFalse(Loggers.LOOP.isLoggable(Level.DEBUG), "DEBUG is off unless configured");
        root.setLevel(java.util.logging.Level.WARNING);
        for (System.Logger l : List.of(Loggers.LOOP, Loggers.SHUTDOWN, Loggers.TRANSPORT, Loggers.HANDLER)) {
            assertFalse(l.isLoggable(Level.INFO), l.getName());
            assertTrue(l.isLoggable(Level.WARNING), l.getName());
            assertTrue(l.getName().startsWith(Loggers.ROOT + "."), l.getName());
        }
    }
}
