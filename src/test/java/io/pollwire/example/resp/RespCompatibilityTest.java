// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pollwire.Server;
import io.pollwire.codec.Outcome;
import io.pollwire.Transport;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example answers byte for byte as redis-server 7 does: the same command scripts go to a
 * redis-server this test starts (on a free loopback port, nothing persisted) and to the
 * example, and the two byte streams are compared whole. Skipped, with one message, when
 * {@code redis-server} is not installed ({@code .ci/run} installs it).
 */
@Timeout(60)
class RespCompatibilityTest {
    private static Process redis;
    private static int redisPort;
    private static Server pollwire;

    @BeforeAll
    static void start() throws Exception {
        String binary = findRedisServer();
        Assumptions.assumeTrue(binary != null,
                "redis-server not installed: skipping the byte-for-byte comparison (apt-get install redis-server)");
        for (int attempt = 0; attempt < 5 && redis == null; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--dir",
                    System.getProperty("java.io.tmpdir")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (awaitListening(p, port)) {
                redis = p;
                redisPort = port;
            } else {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (redis == null) {
            throw new IllegalStateException("redis-server did not start");
        }
        pollwire = Server.builder().transport(Transport.AUTO)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1)
                .framing(RespExample.framing(RespExample.DEFAULT_MAX_ARGS, 512 * 1024 * 1024 - 70 * 1024))
                .handler(RespExample.handler(1)).name("pollwire-resp-compat").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pollwire != null) {
            pollwire.shutdown(Duration.ofSeconds(2)).join();
        }
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void commandsAnswerAsRedisDoes() throws Exception {
        StringBuilder s = new StringBuilder();
        for (String[] c : new String[][] {
            {"FLUSHALL"}, {"PING"}, {"ping", "hello world"}, {"PING", "a", "b"}, {"ECHO"}, {"echo", "\r\n\0x"},
            {"SET", "k", "v"}, {"GET", "k"}, {"GET", "missing"}, {"GET"}, {"GET", "a", "b"}, {"SET", "k"},
            {"set", "k", "v2", "XX"}, {"SET", "new", "v", "XX"}, {"SET", "k", "v3", "NX"}, {"SET", "k", "v", "NX", "XX"},
            {"SET", "k", "v", "XX", "NX"}, {"SET", "k", "v", "GET"}, {"SET", "k", "w", "NX", "GET"},
            {"SET", "none", "w", "XX", "GET"}, {"SET", "k", "v", "EX", "100"}, {"SET", "k", "v", "PX", "100000"},
            {"SET", "k", "v", "EX", "0"}, {"SET", "k", "v", "EX", "-1"}, {"SET", "k", "v", "EX", "abc"},
            {"SET", "k", "v", "EX"}, {"SET", "k", "v", "EX", "10", "PX", "10"}, {"SET", "k", "v", "EX", "10", "EX", "20"},
            {"SET", "k", "v", "KEEPTTL"}, {"SET", "k", "v", "KEEPTTL", "EX", "5"}, {"SET", "k", "v", "EX", "5", "KEEPTTL"},
            {"SET", "k", "v", "EX", "9223372036854775807"}, {"SET", "k", "v", "PX", "9223372036854775807"},
            {"SET", "k", "v", "EXAT", "99999999999"}, {"SET", "k", "v", "BLAH"}, {"SET", "k", "v", "ex", "01"},
            {"SET", "n", "10"}, {"INCR", "n"}, {"DECR", "n"}, {"INCRBY", "n", "-20"}, {"DECRBY", "n", "5"},
            {"INCRBY", "n", "x"}, {"INCRBY", "n", "+1"}, {"INCRBY", "n", ""}, {"INCR", "k"}, {"INCR", "fresh"},
            {"SET", "max", "9223372036854775807"}, {"INCR", "max"}, {"DECRBY", "max", "-1"},
            {"DECRBY", "max", "-9223372036854775808"}, {"SET", "min", "-9223372036854775808"}, {"DECR", "min"},
            {"INCR", "min"}, {"GET", "min"}, {"SET", "sp", " 1"}, {"INCR", "sp"}, {"SET", "big", "123456789012345678901"},
            {"INCR", "big"}, {"INCR"}, {"INCRBY", "n"},
            {"EXISTS", "k", "k", "nope", "n"}, {"EXISTS"}, {"DEL", "k", "k", "nope"}, {"DEL"}, {"EXISTS", "k"},
            {"MSET", "a", "1", "b", "2"}, {"MSET", "a"}, {"MSET", "a", "1", "b"}, {"MGET", "a", "b", "c", "a"}, {"MGET"},
            {"DBSIZE"}, {"DBSIZE", "x"}, {"FLUSHALL", "x"}, {"FLUSHALL", "async", "x"}, {"FLUSHALL", "SYNC"},
            {"DBSIZE"}, {"FOO"}, {"foo", "a", "b\r\nc"}, {"FOO", "x".repeat(200), "y"}, {"CONFIG"},
            {"CONFIG", "GET"}, {"CONFIG", "GET", "save"}, {"CONFIG", "GET", "APPENDONLY"},
            {"CONFIG", "GET", "save", "appendonly"}, {"CONFIG", "GET", "nosuchparameter"}, {"CONFIG", "FOO"},
            {"COMMAND", "FOO", "x"}, {"COMMAND", "COUNT", "x"}, {"COMMAND", "DOCS", "nosuchcommand"},
            {"HELLO", "x"}, {"HELLO", "1"}, {"HELLO", "4"}, {"HELLO", "2", "BLAH"},
        }) {
            s.append(new String(RespFramerTest.array(List.of(c)), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        s.append("PING\r\n  SET   ik \"a b\\x41\\n\" \r\nGET ik\nset 'q\\'s' x\r\nget q's\r\n\r\nECHO \"\"\r\n");
        s.append("*0\r\n*-1\r\nQUIT\r\n");
        compare(s.toString());
    }

    @Test
    void protocolErrorsAnswerAsRedisDoesThenClose() throws Exception {
        for (String stream : new String[] {
            "*1\r\n$4\r\nPING\r\n*x\r\n", "*1\r\nPING\r\n", "*1\r\n$-1\r\n", "*1\r\n$abc\r\n", "*3000000000\r\n",
            "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nQUIT\r\n", "\"unbalanced\r\n", "SET x \"a\"b\r\n",
            "*2\r\n$3\r\nGET\r\n$536870913\r\n", "*1\r\n\n\r\n", "*2\r\n$3\r\nGET\r\n:1\r\n",
        }) {
            compare(stream);
        }
    }

    private static void compare(String script) throws IOException {
        byte[] bytes = RespFramerTest.bytes(script);
        byte[] expected = exchange(redisPort, bytes);
        byte[] actual = exchange(pollwire.localAddress().getPort(), bytes);
        if (!java.util.Arrays.equals(expected, actual)) {
            String[] e = new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1).split("\r\n", -1);
            String[] a = new String(actual, java.nio.charset.StandardCharsets.ISO_8859_1).split("\r\n", -1);
            int i = 0;
            while (i < e.length && i < a.length && e[i].equals(a[i])) {
                i++;
            }
            assertEquals(Outcome.show(expected), Outcome.show(actual), "for " + Outcome.show(bytes)
                    + "\nfirst different reply line " + i + ": redis-server " + (i < e.length ? e[i] : "<end>")
                    + ", pollwire " + (i < a.length ? a[i] : "<end>") + "; the lines before: "
                    + String.join(" | ", java.util.Arrays.copyOfRange(e, Math.max(0, i - 4), i)));
        }
    }

    /** Sends the script and reads until the server closes (QUIT or a protocol error). */
    private static byte[] exchange(int port, byte[] script) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(script);
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0;) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static String findRedisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static boolean awaitListening(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }
}
