// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.testing.Leaks;
import io.pollwire.testing.NativeSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP example server on loopback, over each transport: the JDK HttpClient on one
 * keep-alive connection, pipelined requests on a raw socket, Connection: close, HTTP/1.0, and
 * each error status (which must also close the connection).
 */
@Timeout(60)
class HttpServerTest {
    static final int MAX_HEAD = 1024;
    static final int MAX_BODY = 4096;

    private Server server;
    private int fdsBefore;
    private List<String> fdsBeforeList;
    private final List<Socket> sockets = new ArrayList<>();

    static Stream<Transport> transports() {
        return Stream.of(Transport.NIO, Transport.EPOLL);
    }

    Server start(Transport transport) throws IOException {
        NativeSupport.assumeAvailable(transport);
        fdsBefore = Leaks.openFds();
        fdsBeforeList = fdTargets();
        server = Server.builder()
                .transport(transport)
                .bind("127.0.0.1", 0)
                .loops(1)
                .framing(HttpExample.framing(MAX_HEAD, MAX_BODY))
                .handler(HttpExample.handler())
                .idleTimeout(Duration.ofSeconds(30))
                .shutdownTimeout(Duration.ofSeconds(3))
                .name("pollwire-http-test")
                .start();
        return server;
    }

    /**
     * The JVM opens a few descriptors on first use of sockets and randomness and keeps them
     * (/dev/random, /dev/urandom, ...): one round trip per transport first, so that the fd
     * baselines of the tests count only what the tests open.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        for (Transport t : new Transport[] {Transport.NIO, Transport.EPOLL}) {
            if (!t.isAvailable()) {
                continue;
            }
            HttpServerTest w = new HttpServerTest();
            w.start(t);
            w.fdsBefore = -1; // what this leaves open is what the tests must not count
            w.connect().send("GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n");
            w.sockets.get(0).getInputStream().read();
            w.stop();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
            assertEquals(List.of(), Leaks.awaitNoPollwireThreads(5000), "threads left");
            if (fdsBefore >= 0) {
                int now = Leaks.awaitFds(fdsBefore, 5000);
                assertTrue(now <= fdsBefore, "fds: " + fdsBefore + " before, " + now + " after: " + fdsBeforeList
                        + " -> " + fdTargets());
            }
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void httpClientGetsHelloWorldOnOneKeepAliveConnection(Transport transport) throws Exception {
        start(transport);
        withClient(client -> {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/plaintext")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("Hello, World!", r.body());
                assertEquals("text/plain", r.headers().firstValue("content-type").orElse(null));
                assertEquals("13", r.headers().firstValue("content-length").orElse(null));
                assertEquals("pollwire", r.headers().firstValue("server").orElse(null));
                ZonedDateTime date = ZonedDateTime.parse(r.headers().firstValue("date").orElseThrow(),
                        DateTimeFormatter.RFC_1123_DATE_TIME);
                assertTrue(Math.abs(date.toEpochSecond() - System.currentTimeMillis() / 1000) < 60, "Date " + date);
            }
        });
        assertEquals(1, server.stats().accepted(), "the client should have reused one connection");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void httpClientEchoHeadNotFoundAndMethodNotAllowed(Transport transport) throws Exception {
        start(transport);
        withClient(client -> {
            String body = "0123456789".repeat(300);
            HttpResponse<String> echo = client.send(HttpRequest.newBuilder(uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, echo.statusCode());
            assertEquals(body, echo.body());

            HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri("/plaintext"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals("13", head.headers().firstValue("content-length").orElse(null));

            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(uri("/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());

            HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri("/plaintext")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, delete.statusCode());
            assertEquals("GET, HEAD", delete.headers().firstValue("allow").orElse(null));
        });
    }

    @ParameterizedTest
    @MethodSource("transports")
    void pipelinedRequestsAreAnsweredInOrder(Transport transport) throws Exception {
        start(transport);
        RawClient c = connect();
        c.send("GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "HEAD /plaintext HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /plaintext?again HTTP/1.1\r\nHost: a\r\n\r\n");
        assertResponse(c.read(false), 200, "Hello, World!");
        assertResponse(c.read(false), 200, "abc");
        Response head = c.read(true);
        assertResponse(head, 200, "");
        assertEquals("13", head.headers.get("content-length"));
        assertResponse(c.read(false), 404, "Not Found\n");
        assertResponse(c.read(false), 200, "Hello, World!");
        // still open: one more, split in two writes
        c.send("GET /plaintext HTT");
        c.send("P/1.1\r\nHost: a\r\n\r\n");
        assertResponse(c.read(false), 200, "Hello, World!");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void connectionCloseEndsTheConnectionAfterItsResponse(Transport transport) throws Exception {
        start(transport);
        RawClient c = connect();
        c.send("GET /plaintext HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n");
        Response r = c.read(false);
        assertResponse(r, 200, "Hello, World!");
        assertEquals("close", r.headers.get("connection"));
        c.assertClosedByServer();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void http10ClosesUnlessAskedToKeepAlive(Transport transport) throws Exception {
        start(transport);
        RawClient once = connect();
        once.send("GET /plaintext HTTP/1.0\r\n\r\n");
        Response r = once.read(false);
        assertResponse(r, 200, "Hello, World!");
        assertEquals("close", r.headers.get("connection"));
        once.assertClosedByServer();

        RawClient kept = connect();
        for (int i = 0; i < 3; i++) {
            kept.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            r = kept.read(false);
            assertResponse(r, 200, "Hello, World!");
            assertEquals("keep-alive", r.headers.get("connection"));
        }
    }

    static Stream<Arguments> refusals() {
        String big = "X-Big: " + "x".repeat(MAX_HEAD) + "\r\n";
        return transports().flatMap(t -> Stream.of(
                Arguments.of(t, 400, "malformed request line", "GET /plaintext\r\n\r\n"),
                Arguments.of(t, 400, "missing Host", "GET /plaintext HTTP/1.1\r\n\r\n"),
                Arguments.of(t, 400, "conflicting Content-Length",
                        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
                Arguments.of(t, 431, "oversize head, never ended", "GET /plaintext HTTP/1.1\r\nHost: a\r\n" + big),
                Arguments.of(t, 413, "oversize body, refused on its head alone",
                        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n"),
                Arguments.of(t, 501, "chunked body",
                        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                Arguments.of(t, 505, "HTTP/2.0", "GET /plaintext HTTP/2.0\r\nHost: a\r\n\r\n")));
    }

    @ParameterizedTest(name = "{0}: {2} -> {1}")
    @MethodSource("refusals")
    void refusedRequestsGetTheirStatusThenTheConnectionCloses(Transport transport, int status, String what,
            String request) throws Exception {
        start(transport);
        RawClient c = connect();
        // a good request first: the error must not disturb the response before it
        c.send("GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n" + request);
        assertResponse(c.read(false), 200, "Hello, World!");
        Response r = c.read(false);
        assertEquals(status, r.status, what + ": " + r.statusLine);
        assertEquals("close", r.headers.get("connection"), what);
        c.assertClosedByServer();
    }

    // ---- helpers ---------------------------------------------------------------------------

    static List<String> fdTargets() {
        List<String> out = new ArrayList<>();
        java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
        if (fds != null) {
            for (java.io.File f : fds) {
                try {
                    out.add(java.nio.file.Files.readSymbolicLink(f.toPath()).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    interface ClientUse {
        void run(HttpClient client) throws Exception;
    }

    /**
     * Runs {@code use} with a client on our own executor, then shuts both down. JDK 21+ closes
     * an HttpClient; on 17 its selector thread and connections end only once the client is
     * garbage collected, which this waits for.
     */
    static void withClient(ClientUse use) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            useClient(use, executor);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (clientThreadsAlive() && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(!clientThreadsAlive(), "HttpClient selector thread still running");
        } finally {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    private static void useClient(ClientUse use, ExecutorService executor) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        try {
            use.run(client);
        } finally {
            if (client instanceof AutoCloseable) {
                ((AutoCloseable) client).close();
            }
        }
    }

    private static boolean clientThreadsAlive() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
                return true;
            }
        }
        return false;
    }

    static void assertResponse(Response r, int status, String body) {
        assertEquals(status, r.status, r.statusLine);
        assertEquals(body, r.body, r.statusLine);
        assertEquals(String.valueOf(status == 200 && body.isEmpty() ? 13 : body.length()), r.headers.get("content-length"));
    }

    RawClient connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", server.localAddress().getPort()), 5000);
        s.setSoTimeout(5000);
        return new RawClient(s);
    }

    static final class Response {
        String statusLine;
        int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        String body;
    }

    /** A blocking HTTP/1.1 client of the simplest kind: enough to pipeline and to see a close. */
    static final class RawClient {
        private final Socket socket;
        private final InputStream in;

        RawClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        void send(String s) throws IOException {
            socket.getOutputStream().write(s.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        /** Reads one response; {@code headOnly} for a response to HEAD (no body despite its length). */
        Response read(boolean headOnly) throws IOException {
            Response r = new Response();
            r.statusLine = line();
            if (r.statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            r.status = Integer.parseInt(r.statusLine.split(" ")[1]);
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                r.headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int length = headOnly ? 0 : Integer.parseInt(r.headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("body cut short: " + body.length + " of " + length);
            }
            r.body = new String(body, StandardCharsets.ISO_8859_1);
            return r;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        void assertClosedByServer() throws IOException {
            try {
                assertEquals(-1, in.read(), "the server should have closed the connection");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection within 5 s", e);
            }
        }
    }
}
