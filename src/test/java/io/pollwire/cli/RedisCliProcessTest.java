// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.testing.CliProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code redis} as a user runs it: the real {@link Main} in a child JVM on port 0, loopback by
 * default and saying so, a command split across writes answered, SIGTERM to stop (exit 0).
 * Usage errors are checked in-process.
 */
@Timeout(120)
class RedisCliProcessTest {
    @Test
    void listensOnLoopbackByDefaultSaysSoAndAnswers() throws Exception {
        try (CliProcess child = CliFramingProcessTest.startServer("redis", "--port", "0")) {
            InetSocketAddress at = child.awaitListening(30_000);
            assertTrue(child.listeningLine().startsWith("pollwire redis listening on 127.0.0.1:"), child.listeningLine());
            assertTrue(child.listeningLine().contains("no authentication: loopback only"), child.listeningLine());
            byte[] reply = CliFramingProcessTest.exchange(at.getPort(), 12,
                    CliFramingProcessTest.bytes("*3\r\n$3\r\nSET\r\n$1\r\nk"),
                    CliFramingProcessTest.bytes("\r\n$1\r\nv\r\nGET k\r\n"));
            assertEquals("+OK\r\n$1\r\nv\r\n", new String(reply, java.nio.charset.StandardCharsets.ISO_8859_1));
            CliFramingProcessTest.stopCleanly(child);
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"redis", "--max-bulk", "x"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertEquals(2, status);
        assertTrue(err.toString().contains("--max-bulk is not a number"), err.toString());
    }
}
