// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Frames;
import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.codec.FramingException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Active expiry runs on the loop's timer, not when commands arrive: keys set with a short
 * {@code PX} leave the store while the client sends nothing more (Redis's {@code serverCron}
 * does the same). The store's size is read on the loop, through the connection's executor.
 */
@Timeout(60)
class RespExpirySweepTest {
    private static final int KEYS = 200;

    @Test
    void expiredKeysAreSweptFromAnIdleServer() throws Exception {
        RespStore store = new RespStore(false);
        RespHandler resp = new RespHandler(store);
        AtomicReference<Connection> serverSide = new AtomicReference<>();
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                resp.onOpen(c);
                serverSide.set(c);
            }

            @Override
            public void onFrames(Connection c, Frames frames) {
                resp.onFrames(c, frames);
            }

            @Override
            public void onFrame(Connection c, ByteBuffer frame) {
                resp.onFrame(c, frame);
            }

            @Override
            public void onFramingError(Connection c, FramingException error) {
                resp.onFramingError(c, error);
            }
        };
        Server server = Server.builder().transport(Transport.NIO)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1)
                .framing(RespExample.framing(RespExample.DEFAULT_MAX_ARGS, RespExample.DEFAULT_MAX_BULK))
                .handler(handler).name("pollwire-resp-sweep").daemonThreads(true).start();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
            StringBuilder sets = new StringBuilder();
            for (int i = 0; i < KEYS; i++) {
                sets.append("SET short:").append(i).append(" v PX 150\r\n"); // inline commands
            }
            sets.append("SET kept v\r\n");
            OutputStream out = client.getOutputStream();
            out.write(sets.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            byte[] replies = new byte[5 * (KEYS + 1)]; // +OK\r\n each
            for (int got = 0; got < replies.length; ) {
                int n = in.read(replies, got, replies.length - got);
                if (n < 0) {
                    throw new AssertionError("server closed the connection");
                }
                got += n;
            }
            assertEquals("+OK\r\n".repeat(KEYS + 1), new String(replies, StandardCharsets.US_ASCII));
            assertEquals(KEYS + 1, sizeOnLoop(serverSide.get(), store), "all keys stored");

            // no command from now on: only the timer can remove the expired keys
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long size;
            while ((size = sizeOnLoop(serverSide.get(), store)) > 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, size, "the expired keys were swept, the one without expiry kept");
        } finally {
            server.shutdown(Duration.ofSeconds(2)).join();
        }
    }

    /** The store's size, read on the connection's loop. */
    private static long sizeOnLoop(Connection c, RespStore store) throws Exception {
        CompletableFuture<Long> size = new CompletableFuture<>();
        c.executor().execute(() -> size.complete(store.size()));
        return size.get(5, TimeUnit.SECONDS);
    }
}
