// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Transport;
import io.pollwire.testing.CliProcess;
import io.pollwire.testing.NativeSupport;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code java -jar pollwire.jar echo --unix PATH}: serves the path, removes the file on SIGTERM. */
@Timeout(120)
class UnixEchoCliIT {
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void echoesOverAUnixSocketAndRemovesItOnSigterm(String transport) throws Exception {
        if (transport.equals("epoll")) {
            NativeSupport.assumeAvailable(Transport.EPOLL);
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pw-cli");
        Path sock = dir.resolve("echo.sock");
        try (CliProcess p = CliProcess.start("echo", "--unix", sock.toString(), "--transport", transport, "--loops", "1")) {
            String line = firstLine(p, 30_000);
            assertTrue(line.startsWith("pollwire echo listening on unix:" + sock), line);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                ch.write(ByteBuffer.wrap("over a path\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(12);
                while (in.hasRemaining() && ch.read(in) >= 0) {
                    // until the echo is complete
                }
                assertEquals("over a path\n", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            }
            p.terminate();
            assertEquals(0, p.awaitExit(30_000), p.stderr());
            assertFalse(Files.exists(sock), "socket file left after SIGTERM");
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void unixWithAPortIsAUsageError() throws Exception {
        try (CliProcess p = CliProcess.start("echo", "--unix", "/tmp/x.sock", "--port", "1")) {
            assertEquals(2, p.awaitExit(30_000));
            assertTrue(p.stderr().contains("--unix listens on a path"), p.stderr());
        }
    }

    private static String firstLine(CliProcess p, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> lines = p.stdoutLines();
            if (!lines.isEmpty()) {
                return lines.get(0);
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no listening line; stderr:\n" + p.stderr());
    }
}
