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
import java.time.Duration;
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
 * <p><b>A drain waits for answers in flight.</b> A byte proxy does not know the protocol, but
 * it knows who spoke last and when. When a server drain (SIGTERM) reaches a pair
 * ({@link #onDrain}), the pair is idle and closes at once if the backend spoke last and has been
 * quiet for the <em>drain quiet</em> time (default 500 ms); otherwise (the client spoke last: an
 * answer is awaited; or the backend spoke less than that ago: it may still be sending) the client
 * side reserves its next reply with {@link Connection#deferReply()}, the backend's bytes fill it
 * one read at a time (each read reserves the next place first), and the reservation is given up
 * once the backend has been quiet that long after its last bytes, or when it ends its output or
 * closes. The backend connection is kept open and read meanwhile because it was opened with
 * {@link Connection#connect} (see its linked-connection rule). A backend that never answers costs
 * the shutdown timeout and is counted in {@link io.pollwire.ShutdownReport#repliesAbandoned()}.
 * Outside a drain nothing is reserved: the data path is plain zero-copy writes. HAProxy's
 * soft-stop, which lets TCP sessions finish, is the model; the quiet time is what lets an idle
 * pooled client go at once instead of at the timeout.
 *
 * <p>The client's attachment is its pair's {@code Side} (the backend connection's handler), the
 * backend's attachment is the client; one instance of this class handles every client. Netty's
 * {@code HexDumpProxy} (backend connected on the inbound channel's event loop, {@code autoRead}
 * toggled by writability) is the model. Loop thread only, like every handler callback.
 */
public final class ProxyHandler implements ConnectionHandler {
    /** The default drain quiet time. */
    public static final Duration DEFAULT_DRAIN_QUIET = Duration.ofMillis(500);

    private final SocketAddress backend;
    private final BackendFailures failures;
    private final long quietNanos;

    /** @param backend where to connect: an {@code InetSocketAddress} or {@code UnixDomainSocketAddress} */
    public ProxyHandler(SocketAddress backend) {
        this(backend, DEFAULT_DRAIN_QUIET);
    }

    /**
     * @param backend where to connect: an {@code InetSocketAddress} or {@code UnixDomainSocketAddress}
     * @param drainQuiet during a drain, how long a backend must have been silent after its last
     *     bytes before its pair counts as idle and closes (see the class comment); positive
     * @throws IllegalArgumentException if {@code drainQuiet} is zero or negative
     */
    public ProxyHandler(SocketAddress backend, Duration drainQuiet) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (drainQuiet.isNegative() || drainQuiet.isZero()) {
            throw new IllegalArgumentException("drainQuiet must be positive: " + drainQuiet);
        }
        this.quietNanos = drainQuiet.toNanos();
        this.failures = new BackendFailures(backend);
    }

    @Override
    public void onOpen(Connection client) {
        client.pauseReading(); // nowhere to forward to until the backend is connected
        client.pauseReadingWhenUnwritable(false); // see Side.onOpen
        Side side = new Side(client, quietNanos);
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
    public void onDrain(Connection client) {
        Side side = client.attachment();
        if (side != null) {
            side.drainStarting();
        }
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
        private final long quietNanos;
        /** Set in onOpen, before the client's attachment points here. */
        private Connection server;
        /** The client spoke last: an answer is awaited. */
        private boolean clientSpokeLast;
        /** When the backend's last bytes came (System.nanoTime). */
        private long backendSpokeAt = System.nanoTime();
        /** During a drain: the client's next reply place, for the backend's next bytes. */
        private DeferredReply held;
        /** The backend ended its output: no answer can come any more. */
        private boolean backendEnded;

        Side(Connection client, long quietNanos) {
            this.client = client;
            this.quietNanos = quietNanos;
        }

        /** Client bytes to the backend: an answer is now awaited. */
        void request(ByteBuffer bytes) {
            server.write(bytes);
            clientSpokeLast = true;
            pauseIfFull(client, server);
        }

        /** The drain reached the client: hold it open while an answer may still be coming. */
        void drainStarting() {
            if (!backendEnded && (clientSpokeLast || quietFor() < quietNanos)) {
                held = client.deferReply();
                checkQuiet();
            }
        }

        private long quietFor() {
            return System.nanoTime() - backendSpokeAt;
        }

        /** Gives the held place up once the backend has been quiet long enough after answering. */
        private void checkQuiet() {
            if (held == null) {
                return;
            }
            long quiet = quietFor();
            if (!clientSpokeLast && quiet >= quietNanos) {
                giveUpAnswer();
            } else {
                long wait = clientSpokeLast ? quietNanos : quietNanos - quiet;
                client.schedule(Duration.ofNanos(wait), this::checkQuiet);
            }
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
            clientSpokeLast = false;
            backendSpokeAt = System.nanoTime();
            DeferredReply place = held;
            if (place == null) {
                forward(server, client, bytes); // not draining: a plain zero-copy write
                return;
            }
            held = client.deferReply(); // the next place first, so the client stays owed
            place.send(bytes); // copies: only during a drain
            pauseIfFull(server, client);
        }

        @Override
        public void onWritabilityChanged(Connection server) {
            follow(server, client);
        }

        @Override
        public void onInputClosed(Connection server) {
            backendEnded = true;
            giveUpAnswer();
            client.shutdownOutput(); // the backend's FIN, passed on after its last bytes
        }

        @Override
        public void onClose(Connection server, CloseReason reason, Throwable cause) {
            backendEnded = true;
            giveUpAnswer();
            closeOther(client, reason);
        }

        /** No more of the backend's answer will be waited for: the client's output must not wait for it. */
        private void giveUpAnswer() {
            if (held != null) {
                held.abandon();
                held = null;
            }
        }
    }
}
