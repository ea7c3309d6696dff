// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.testing.CliProcess;
import io.pollwire.testing.LineClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's flight-recorder recipe, run as written: {@code java -XX:StartFlightRecording...
 * -jar pollwire.jar echo}, two clients, SIGTERM; the file it leaves has the connections and
 * the drain. And the other side of {@code requires static jdk.jfr}: on the module path of a
 * runtime limited to pollwire's required modules (no {@code jdk.jfr}), the echo server serves
 * and drains as usual.
 */
class JfrCliIT {
    @Test
    void aRecordingOfTheEchoServerShowsConnectionsAndTheDrain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("echo.jfr");
        // -Xlog: JFR announces itself on stdout, where the test expects the listening line first
        try (CliProcess p = CliProcess.startJava(List.of("-XX:StartFlightRecording:filename=" + file,
                "-Xlog:jfr+startup=off", "-Xmx128m", "-jar", CliProcess.jar().toString(),
                "echo", "--host", "127.0.0.1", "--port", "0"))) {
            InetSocketAddress addr = p.awaitListening(30_000);
            try (LineClient idle = new LineClient(addr)) {
                try (LineClient once = new LineClient(addr)) {
                    once.send("abc\n");
                    assertEquals("abc\n", once.readLine());
                }
                idle.send("def\n");
                assertEquals("def\n", idle.readLine());
                Thread.sleep(200); // the first client's close reaches the server
                p.terminate();
                assertTrue(idle.awaitClosed());
            }
            assertEquals(0, p.awaitExit(30_000), p.stderr());
        }
        Map<String, List<RecordedEvent>> byName = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("pollwire."))
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        assertEquals(2, byName.get("pollwire.ConnectionOpened").size(), byName.toString());
        List<String> reasons = byName.get("pollwire.ConnectionClosed").stream().map(e -> e.getString("reason"))
                .sorted().collect(Collectors.toList());
        assertEquals(List.of("PEER_CLOSED", "SHUTDOWN"), reasons);
        assertEquals(1, byName.get("pollwire.ListenersClosed").size());
        assertEquals(1, byName.get("pollwire.DrainStarted").get(0).getInt("connections"));
        RecordedEvent finished = byName.get("pollwire.DrainFinished").get(0);
        assertEquals(1, finished.getInt("openAtStart"));
        assertEquals(1, finished.getInt("idleClosed"));
        assertEquals(0, finished.getInt("forced"));
    }

    @Test
    void withoutJdkJfrTheServerServesAndDrains() throws Exception {
        try (CliProcess p = CliProcess.startJava(List.of("-Xmx128m", "--limit-modules", "io.pollwire",
                "--module-path", CliProcess.jar().toString(), "--module", "io.pollwire/io.pollwire.cli.Main",
                "echo", "--host", "127.0.0.1", "--port", "0"))) {
            try (LineClient c = new LineClient(p.awaitListening(30_000))) {
                c.send("abc\n");
                assertEquals("abc\n", c.readLine());
                p.terminate();
                assertTrue(c.awaitClosed());
            }
            assertEquals(0, p.awaitExit(30_000), p.stderr());
            assertTrue(p.stderr().contains("1 connection open, 1 drained"), p.stderr());
            assertTrue(!p.stderr().contains("Exception") && !p.stderr().contains("Error"), p.stderr());
        }
    }
}
