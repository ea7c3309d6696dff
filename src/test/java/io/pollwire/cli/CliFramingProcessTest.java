// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.testing.CliProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code echo --framing ...} and {@code http} as a user runs them: the real {@link Main} in a
 * child JVM on 127.0.0.1 port 0, a socket sending frames split across writes, SIGTERM to stop
 * (exit 0 once drained). Usage errors are checked in-process.
 */
@Timeout(120)
class CliFramingProcessTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends the pieces with a pause between them (so they arrive as separate reads, usually). */
    static byte[] exchange(int port, int expected, byte[]... pieces) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            for (byte[] p : pieces) {
                out.write(p);
                out.flush();
                Thread.sleep(30);
            }
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(expected);
            return got;
        }
    }

    /** Starts {@link Main} with these arguments in a child JVM (the jar is not built yet). */
    static CliProcess startServer(String... args) throws IOException {
        return CliProcess.startClass(Main.class, args);
    }

    /** SIGTERM, then exit 0 within 20 s after a graceful drain. */
    static void stopCleanly(CliProcess child) throws Exception {
        child.terminate();
        assertEquals(0, child.awaitExit(20_000), child.stderr());
        assertTrue(child.stderr().contains("SIGTERM: shutting down gracefully"), child.stderr());
    }

    @Test
    void lineFramingIsTheDefault() throws Exception {
        try (CliProcess child = startServer("echo", "--host", "127.0.0.1", "--port", "0", "--loops", "1")) {
            int port = child.awaitListening(30_000).getPort();
            assertTrue(child.listeningLine().contains("framing line (max 65536 bytes)"), child.listeningLine());
            byte[] sent = bytes("hello\nwor" + "ld\r\n");
            assertArrayEquals(sent, exchange(port, sent.length, bytes("hello\nwor"), bytes("ld\r\n")));
            stopCleanly(child);
        }
    }

    @Test
    void fixedLengthEchoesRecordsAsTheyComplete() throws Exception {
        try (CliProcess child = startServer("echo", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                "--framing", "fixed:4")) {
            int port = child.awaitListening(30_000).getPort();
            assertTrue(child.listeningLine().contains("framing fixedLength(4)"), child.listeningLine());
            assertArrayEquals(bytes("abcdefgh"), exchange(port, 8, bytes("abcdefg"), bytes("h")));
            stopCleanly(child);
        }
    }

    @Test
    void lengthFieldEchoesTheHeaderTooAndRefusesOversizeFrames() throws Exception {
        try (CliProcess child = startServer("echo", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                "--framing", "length:2", "--max-frame", "10")) {
            int port = child.awaitListening(30_000).getPort();
            byte[] frames = {0, 3, 'a', 'b', 'c', 0, 0, 0, 10, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'};
            byte[][] pieces = {{0}, {3, 'a'}, {'b', 'c', 0, 0, 0}, {10, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'}};
            assertArrayEquals(frames, exchange(port, frames.length, pieces));

            // 11 > max: an error line, then the server closes the connection
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(new byte[] {0, 11});
                byte[] reply = s.getInputStream().readAllBytes();
                // in the units of --max-frame (content), as the banner and --help say
                assertEquals("ERR frame too long: length field 11, max 10 bytes (--max-frame, the 2-byte length"
                        + " not counted)\n", new String(reply, StandardCharsets.US_ASCII));
            }
            String banner = child.listeningLine();
            assertTrue(banner.endsWith("framing length:2 (max 10 bytes after the length, echoed with it))"), banner);
            stopCleanly(child);
        }
    }

    @Test
    void delimiterFramingFindsADelimiterSplitAcrossWrites() throws Exception {
        try (CliProcess child = startServer("echo", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                "--framing", "delimiter:0d0a", "--max-frame", "1k")) {
            int port = child.awaitListening(30_000).getPort();
            assertTrue(child.listeningLine().contains("framing delimiter(0d0a, max 1024)"), child.listeningLine());
            byte[] sent = bytes("one\r\ntwo\r\n\r\n");
            assertArrayEquals(sent, exchange(port, sent.length, bytes("one\r"), bytes("\ntwo\r\n\r"), bytes("\n")));
            stopCleanly(child);
        }
    }

    @Test
    void httpServesPlaintextUntilSigterm() throws Exception {
        try (CliProcess child = startServer("http", "--host", "127.0.0.1", "--port", "0", "--loops", "1")) {
            int port = child.awaitListening(30_000).getPort();
            assertTrue(child.listeningLine().startsWith("pollwire http listening on 127.0.0.1:"), child.listeningLine());
            byte[] request = bytes("GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            String reply;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request);
                reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            }
            assertTrue(reply.startsWith("HTTP/1.1 200 OK\r\n"), reply);
            assertTrue(reply.endsWith("\r\n\r\nHello, World!"), reply);
            stopCleanly(child);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed:0", "fixed:x", "fixed", "length:0", "length:9", "length:", "delimiter:",
        "delimiter:0", "delimiter:zz", "delimiter:0x", "line:3", "lines:", "bogus", ""})
    void badFramingIsAUsageError(String framing) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"echo", "--port", "0", "--framing", framing},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, text);
        assertTrue(text.contains("--framing"), text);
        assertEquals("(usage: java -jar pollwire.jar echo --help)", CliUsageTest.oneLineTail(text), text);
    }

    @Test
    void maxLineAndMaxFrameTogetherIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"echo", "--max-line", "5", "--max-frame", "6"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("same option"));
    }

    @Test
    void httpUsageErrors() {
        for (String[] args : new String[][] {{"http", "--max-head", "8"}, {"http", "--port", "x"}, {"http", "--framing", "line"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)),
                    String.join(" ", args));
            assertEquals("(usage: java -jar pollwire.jar http --help)",
                    CliUsageTest.oneLineTail(err.toString(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void helpListsTheFramingsAndTheHttpCommand() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"echo", "--help"}, new PrintStream(out), System.err));
        String echoHelp = out.toString(StandardCharsets.UTF_8);
        for (String s : new String[] {"--framing F", "fixed:N", "length:W", "delimiter:HEX", "--max-frame"}) {
            assertTrue(echoHelp.contains(s), s + " missing from\n" + echoHelp);
        }
        out.reset();
        assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("http    HTTP/1.1 example server"));
    }
}
