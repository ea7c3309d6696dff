// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.proxy;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.DeferredReply;
import io.pollwire.codec.Framing;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Forwards every accepted connection to one backend (TCP or Unix domain), bytes both ways. Use
 * it with {@link Framing#raw()} and {@code allowHalfClosure(true)} (the backend connections
 * share the server's loops and settings):
 *
 * <pre>{@code
 * Server.builder().bind("0.0.0.0", 8000).framing(Framing.raw()).allowHalfClosure(true)
 *         .handler(new ProxyHandler(new InetSocketAddress("10.0.0.7", 6379))).start();
 * }</pre>
 *
 * <p>Neither side pauses at its own watermark ({@link Connection#pauseReadingWhenUnwritable}):
 * a side is read while the other side is writable, and only then.
 *
 * <p><b>A request in flight is owed.</b> A byte proxy does not know the protocol, but it knows
 * who spoke last: when the client's bytes are forwarded and no answer is awaited yet, the
 * client side reserves one reply with {@link Connection#deferReply()}; the backend's first
 * bytes fill its place (released, then written there: no copy), later ones are plain writes.
 * So a server drain (SIGTERM) closes a pair whose backend spoke last at once (idle), and waits,
 * up to the shutdown timeout, for the answer of a pair whose client spoke last; the backend connection
 * is kept open and read meanwhile because it was opened with {@link Connection#connect} (see
 * its linked-connection rule). A backend that never answers costs the timeout and is counted
 * in {@link io.pollwire.ShutdownReport#repliesAbandoned()}. A backend that ends its output or
 * closes gives the awaited reply up, so the client's FIN is not held for it.
 *
 * <p>The client's attachment is its pair's {@code Side} (the backend connection's handler), the
 * backend's attachment is the client; one instance of this class handles every client. Netty's
 * {@code HexDumpProxy} (backend connected on the inbound channel's event loop, {@code autoRead}
 * toggled by writability) is the model. Loop thread only, like every handler callback.
 */
public final class ProxyHandler implements ConnectionHandler {
    private final SocketAddress backend;
    private final BackendFailures failures;

    /** @param backend where to connect: an {@code InetSocketAddress} or {@code UnixDomainSocketAddress} */
    public ProxyHandler(SocketAddress backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.failures = new BackendFailures(backend);
    }

    @Override
    public void onOpen(Connection client) {
        client.pauseReading(); // nowhere to forward to until the backend is connected
        client.pauseReadingWhenUnwritable(false); // see Side.onOpen
        Side side = new Side(client);
        client.connect(backend, Framing.raw(), side).whenComplete((server, error) -> {
            if (error != null) {
                failures.failed(error); // one WARNING per burst, naming the backend and the cause
                client.abort(); // the backend refused or timed out: so does the proxy
            } else if (!client.isOpen()) {
                server.abort(); // the client went away while we connected
            } else {
                client.attach(side);
                client.resumeReading();
            }
        });
    }

    @Override
    public void onFrame(Connection client, ByteBuffer bytes) {
        Side side = client.attachment();
        side.request(bytes);
    }

    @Override
    public void onWritabilityChanged(Connection client) {
        Side side = client.attachment();
        if (side != null) {
            follow(client, side.server);
        }
    }

    @Override
    public void onInputClosed(Connection client) {
        Side side = client.attachment();
        if (side != null) {
            side.server.shutdownOutput(); // the client's FIN, passed on after what it sent
        }
    }

    @Override
    public void onClose(Connection client, CloseReason reason, Throwable cause) {
        Side side = client.attachment();
        if (side != null) {
            closeOther(side.server, reason);
        }
    }

    /**
     * @param backend an {@code InetSocketAddress}, resolved or not, or a Unix socket address
     * @return it as a user typed it: {@code host:port}, {@code [v6]:port} or {@code unix:path}
     *     (not {@code InetSocketAddress.toString()}'s {@code host/<unresolved>:port})
     */
    public static String describe(SocketAddress backend) {
        if (backend instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) backend;
            String h = a.getHostString();
            return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
        }
        return "unix:" + backend;
    }

    /** Writes what {@code from} read to {@code to}; pauses {@code from} if that is full. */
    static void forward(Connection from, Connection to, ByteBuffer bytes) {
        to.write(bytes);
        pauseIfFull(from, to);
    }

    private static void pauseIfFull(Connection from, Connection to) {
        if (!to.isWritable()) {
            from.pauseReading(); // resumed by to's onWritabilityChanged
        }
    }

    /** {@code c}'s output crossed a watermark: the reading of {@code other} follows. */
    static void follow(Connection c, Connection other) {
        if (c.isWritable()) {
            other.resumeReading();
        } else {
            other.pauseReading();
        }
    }

    /** One side closed: a reset or error aborts the other, anything else closes it gracefully. */
    static void closeOther(Connection other, CloseReason reason) {
        if (reason == CloseReason.RESET || reason == CloseReason.IO_ERROR) {
            other.abort();
        } else {
            other.close(); // sends what it is owed first
        }
    }

    /** The backend side of one pair, and the pair's state: the mirror of the moves above. */
    private static final class Side implements ConnectionHandler {
        private final Connection client;
        /** Set in onOpen, before the client's attachment points here. */
        private Connection server;
        /** The client spoke last: the place of the backend's answer in the client's output. */
        private DeferredReply awaited;
        /** The backend ended its output: no answer can come any more. */
        private boolean backendEnded;

        Side(Connection client) {
            this.client = client;
        }

        /** Client bytes to the backend; an answer is now awaited (if none was). */
        void request(ByteBuffer bytes) {
            server.write(bytes);
            if (awaited == null && !backendEnded) {
                awaited = client.deferReply();
            }
            pauseIfFull(client, server);
        }

        @Override
        public void onOpen(Connection server) {
            this.server = server;
            server.attach(client);
            // What a side reads goes to the other side, so its reading follows the other side's
            // writability only (follow). Paused by its own watermark too, the backend side would
            // stop reading replies while its requests wait on a backend that, full of unread
            // replies, stops reading them: both directions' buffers full, nobody reading.
            server.pauseReadingWhenUnwritable(false);
        }

        @Override
        public void onFrame(Connection server, ByteBuffer bytes) {
            DeferredReply answer = awaited;
            if (answer != null) {
                // The answer the client waited for: the pair is idle again. Only backend bytes
                // are written to the client, so nothing waits behind this place: releasing it
                // and writing the bytes puts them exactly there, without the copy send() makes
                // (the proxy's data path stays zero-copy).
                awaited = null;
                answer.abandon();
            }
            forward(server, client, bytes);
        }

        @Override
        public void onWritabilityChanged(Connection server) {
            follow(server, client);
        }

        @Override
        public void onInputClosed(Connection server) {
            giveUpAnswer();
            client.shutdownOutput(); // the backend's FIN, passed on after its last bytes
        }

        @Override
        public void onClose(Connection server, CloseReason reason, Throwable cause) {
            giveUpAnswer();
            closeOther(client, reason);
        }

        /** The backend cannot answer any more: the client's output must not wait for it. */
        private void giveUpAnswer() {
            backendEnded = true;
            if (awaited != null) {
                awaited.abandon();
                awaited = null;
            }
        }
    }
}
