// SPDX-License-Identifier: Apache-2.0
package io.pollwire.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.Leaks;
import io.pollwire.testing.Recorder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * pollwire's JFR events, recorded in-process as {@code -XX:StartFlightRecording} would record
 * them: a server, connections opened and closed for different reasons, a drain; the recording
 * is dumped and read back with {@link RecordingFile}, and each event's fields are checked.
 */
@Timeout(60)
class FlightEventsTest {
    private static final String[] EVENTS = {"pollwire.ConnectionOpened", "pollwire.ConnectionClosed",
        "pollwire.AcceptBackoff", "pollwire.ListenersClosed", "pollwire.DrainStarted", "pollwire.DrainFinished"};

    @Test
    void connectionsAndTheDrainShowInARecording(@TempDir Path dir) throws Exception {
        assertTrue(FlightEvents.available(), "jdk.jfr is in this JDK");
        Path file = dir.resolve("pollwire.jfr");
        ShutdownReport report;
        long peerClosedId;
        long framingErrorId;
        long idleId;
        InetSocketAddress address;
        try (Recording recording = new Recording()) {
            for (String e : EVENTS) {
                recording.enable(e);
            }
            recording.start();
            Recorder r = new Recorder().quiet();
            Server server = Server.builder().transport(Transport.NIO)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1)
                    .framing(Framing.lines(16)).handler(r).daemonThreads(true).name("pollwire-jfr").start();
            address = server.localAddress();
            try (LineClient peerCloses = new LineClient(address);
                    LineClient overLong = new LineClient(address);
                    LineClient idle = new LineClient(address)) {
                peerCloses.send("one\n");
                assertEquals("one\n", peerCloses.readLine());
                peerClosedId = r.opened.poll(5, TimeUnit.SECONDS).id();
                peerCloses.socket().close(); // our FIN: PEER_CLOSED
                assertEquals(io.pollwire.CloseReason.PEER_CLOSED, r.nextClose(5000));

                overLong.send("x".repeat(40) + "\n");
                framingErrorId = r.opened.poll(5, TimeUnit.SECONDS).id();
                assertEquals(io.pollwire.CloseReason.FRAMING_ERROR, r.nextClose(5000));

                idle.send("two\n");
                assertEquals("two\n", idle.readLine());
                idleId = r.opened.poll(5, TimeUnit.SECONDS).id();
                idle.send("par"); // a partial frame, discarded by the drain
                Thread.sleep(100);
                report = server.shutdown(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            }
            recording.stop();
            recording.dump(file);
        }
        assertEquals(1, report.openAtStart());
        assertEquals(1, report.idleClosed());

        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Map<String, List<RecordedEvent>> byName = events.stream().collect(Collectors.groupingBy(
                e -> e.getEventType().getName(), TreeMap::new, Collectors.toList()));
        assertEquals(3, byName.get("pollwire.ConnectionOpened").size(), byName.toString());
        for (RecordedEvent e : byName.get("pollwire.ConnectionOpened")) {
            assertFalse(e.getBoolean("outbound"));
            assertTrue(e.getString("local").endsWith(":" + address.getPort()), e.toString());
            assertTrue(e.getString("remote").contains("127.0.0.1"), e.toString());
            assertEquals("pollwire-jfr-loop-0", e.getThread().getJavaName());
        }
        Map<Long, RecordedEvent> closed = byName.get("pollwire.ConnectionClosed").stream()
                .collect(Collectors.toMap(e -> e.getLong("id"), e -> e));
        assertEquals(3, closed.size(), closed.toString());
        assertEquals("PEER_CLOSED", closed.get(peerClosedId).getString("reason"));
        assertEquals(null, closed.get(peerClosedId).getString("cause"));
        assertEquals("FRAMING_ERROR", closed.get(framingErrorId).getString("reason"));
        assertTrue(closed.get(framingErrorId).getString("cause").contains("line too long"),
                closed.get(framingErrorId).toString());
        assertEquals("SHUTDOWN", closed.get(idleId).getString("reason"));
        for (RecordedEvent e : closed.values()) {
            assertTrue(e.getString("local").endsWith(":" + address.getPort()), e.toString());
        }

        RecordedEvent listeners = only(byName, "pollwire.ListenersClosed");
        assertEquals("pollwire-jfr", listeners.getString("server"));
        RecordedEvent started = only(byName, "pollwire.DrainStarted");
        assertEquals(1, started.getInt("connections"));
        RecordedEvent finished = only(byName, "pollwire.DrainFinished");
        assertEquals("pollwire-jfr", finished.getString("server"));
        assertEquals(report.openAtStart(), finished.getInt("openAtStart"));
        assertEquals(report.idleClosed(), finished.getInt("idleClosed"));
        assertEquals(report.drainedWithReplies(), finished.getInt("drainedWithReplies"));
        assertEquals(report.forced(), finished.getInt("forced"));
        assertEquals(report.partialFrameBytesDiscarded(), finished.getLong("partialFrameBytesDiscarded"));
        assertEquals(report.inputBytesDiscarded(), finished.getLong("inputBytesDiscarded"));
        assertEquals(report.elapsed().toNanos(), finished.getDuration("elapsed").toNanos());
        assertFalse(finished.getBoolean("timedOut"));
        assertTrue(listeners.getStartTime().compareTo(started.getStartTime()) <= 0
                && started.getStartTime().compareTo(finished.getStartTime()) <= 0, "phases in order");
        assertEquals(null, byName.get("pollwire.AcceptBackoff"), "no back-off happened");
    }

    @Test
    void everyEventTypeIsLabelledAndInThePollwireCategory() throws Exception {
        // a type is registered once an event of it was made: make one of each
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        try (Recording recording = new Recording()) {
            recording.start();
            FlightEvents.connectionOpened(1, true, a, a);
            FlightEvents.connectionClosed(1, a, a, "LOCAL", null);
            FlightEvents.acceptBackoff(a, 1, "test");
            FlightEvents.listenersClosed("t", 1);
            FlightEvents.drainStarted("t", 0, 0);
            FlightEvents.drainFinished("t", 0, 0, 0, 0, 0, 0, 0, 1, false);
            recording.stop();
        }
        Map<String, EventType> types = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(t -> t.getName().startsWith("pollwire."))
                .collect(Collectors.toMap(EventType::getName, t -> t));
        for (String name : EVENTS) {
            EventType t = types.get(name);
            assertTrue(t != null, name + " not among " + types.keySet());
            assertEquals(List.of("pollwire"), t.getCategoryNames(), name);
            assertTrue(t.getLabel() != null && !t.getLabel().isEmpty(), name);
            assertTrue(t.getDescription() != null && !t.getDescription().isEmpty(), name);
        }
        assertEquals(EVENTS.length, types.size(), types.keySet().toString());
    }

    @AfterAll
    static void noThreadsLeft() throws InterruptedException {
        assertEquals(List.of(), Leaks.awaitNoPollwireThreads(5000));
    }

    private static RecordedEvent only(Map<String, List<RecordedEvent>> byName, String name) {
        List<RecordedEvent> list = byName.get(name);
        assertTrue(list != null && list.size() == 1, name + ": " + list);
        return list.get(0);
    }
}
