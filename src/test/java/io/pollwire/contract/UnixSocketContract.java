// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Client;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.testing.Collector;
import io.pollwire.testing.OnThread;
import io.pollwire.testing.Recorder;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unix domain sockets on every transport: echo over a socket path, a path a live server owns,
 * a stale socket file, the file removed after close, connecting out to a path. No peer
 * credentials are asked for or needed.
 */
public abstract class UnixSocketContract extends TransportContract {
    protected UnixSocketContract(Transport transport) {
        super(transport);
    }

    private Path dir;
    private int next;

    @BeforeAll
    void makeDirectory() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "pw-uds"); // short: sun_path holds ~104 bytes
    }

    @AfterAll
    void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private UnixDomainSocketAddress newPath() {
        return UnixDomainSocketAddress.of(dir.resolve("s" + (next++) + ".sock"));
    }

    private Server startOn(UnixDomainSocketAddress path, ConnectionHandler handler) throws IOException {
        return start(builder(handler).bind(path));
    }

    /** A blocking JDK client: sends {@code line} and reads back as many bytes. */
    private static String roundTrip(UnixDomainSocketAddress path, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(path);
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(line.length());
            while (in.hasRemaining()) {
                if (ch.read(in) < 0) {
                    break;
                }
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void echoesOverASocketPath() throws Exception {
        UnixDomainSocketAddress path = newPath();
        Recorder r = new Recorder();
        Server s = startOn(path, r);
        assertEquals(path, s.address());
        assertNull(s.localAddress(), "no TCP address on a Unix socket server");
        assertTrue(Files.exists(path.getPath()));
        assertEquals("hello unix\n", roundTrip(path, "hello unix\n"));
        Connection c = r.opened.poll(5, TimeUnit.SECONDS);
        assertInstanceOf(UnixDomainSocketAddress.class, c.remoteAddress());
        assertEquals(path, c.localAddress());
    }

    @Test
    void pathOfALiveServerIsRefusedAndTheServerKeepsWorking() throws Exception {
        UnixDomainSocketAddress path = newPath();
        startOn(path, new Recorder());
        BindException e = assertThrows(BindException.class, () -> startOn(path, new Recorder()));
        assertTrue(e.getMessage().contains("live server") && e.getMessage().contains(path.getPath().toString()),
                e.getMessage());
        assertEquals("still\n", roundTrip(path, "still\n"));
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        UnixDomainSocketAddress path = newPath();
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(path);
        } // the JDK leaves the file behind: a stale socket nobody accepts on
        assertTrue(Files.exists(path.getPath()));
        assertThrows(ConnectException.class, () -> roundTrip(path, "x\n"));
        startOn(path, new Recorder());
        assertEquals("fresh\n", roundTrip(path, "fresh\n"));
    }

    @Test
    void regularFileAtThePathIsNeverDeleted() throws Exception {
        UnixDomainSocketAddress path = newPath();
        Files.writeString(path.getPath(), "precious");
        BindException e = assertThrows(BindException.class, () -> startOn(path, new Recorder()));
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(path.getPath()));
    }

    @Test
    void socketFileIsRemovedAfterClose() throws Exception {
        UnixDomainSocketAddress path = newPath();
        Server s = startOn(path, new Recorder());
        assertEquals("a\n", roundTrip(path, "a\n"));
        s.close();
        assertFalse(Files.exists(path.getPath()), "socket file left after close");
    }

    @Test
    void clientConnectsToASocketPath() throws Exception {
        UnixDomainSocketAddress path = newPath();
        startOn(path, new Recorder());
        Collector got = new Collector();
        Client client = build(clientBuilder(got));
        Connection c = client.connect(path).get(5, TimeUnit.SECONDS);
        assertEquals(path, c.remoteAddress());
        c.write("over unix\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("over unix", got.nextFrame(5000));
    }

    @Test
    void connectToAMissingPathFailsWithConnectException() throws Exception {
        UnixDomainSocketAddress path = newPath();
        Client client = build(clientBuilder(new Collector()));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(path).get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("connect(" + path + ") failed: "), e.getCause().getMessage());
        assertEquals(0, client.openConnections());
    }

    /**
     * {@code pauseReadingWhenUnwritable(false)} (what each side of the proxy sets): a client
     * that writes 4 MiB before reading anything is read to the end although the echoes queue far
     * past the 64 KiB watermark; with the default the server would stop reading after about
     * the watermark plus the socket buffer (~200 KiB) and the write would block.
     */
    @Test
    void readingContinuesPastTheWatermarkWhenAsked() throws Exception {
        UnixDomainSocketAddress path = newPath();
        ConnectionHandler echo = new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                c.pauseReadingWhenUnwritable(false);
            }

            @Override
            public void onFrame(Connection c, ByteBuffer bytes) {
                c.echo();
            }
        };
        start(builder(echo).framing(Framing.raw()).writeBufferWaterMarks(16 * 1024, 64 * 1024).bind(path));
        int total = 4 << 20;
        byte[] sent = new byte[total];
        for (int i = 0; i < total; i++) {
            sent[i] = (byte) (i * 31 + (i >>> 12));
        }
        try (SocketChannel ch = closeLater(SocketChannel.open(StandardProtocolFamily.UNIX))) {
            ch.connect(path);
            // on its own thread: a server that stops reading blocks it until the socket closes
            CompletableFuture<Void> writer = OnThread.supply("uds-test-writer", () -> {
                ByteBuffer out = ByteBuffer.wrap(sent);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                return null;
            });
            writer.get(20, TimeUnit.SECONDS); // all taken while nothing was read back
            ByteBuffer in = ByteBuffer.allocate(total);
            while (in.hasRemaining() && ch.read(in) >= 0) {
                // reads until every echo is back
            }
            assertEquals(total, in.position(), "bytes echoed");
            assertTrue(java.util.Arrays.equals(sent, in.array()), "the echo differs from what was sent");
        }
    }
}
