// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.proxy;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.Framing;
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
 * <p>Each side's attachment is the other side; one instance of this class handles both (the
 * backend side knows it is one by its attachment being set before any callback). Netty's
 * {@code HexDumpProxy} (backend connected on the inbound channel's event loop, {@code autoRead}
 * toggled by writability) is the model. Loop thread only, like every handler callback.
 */
public final class ProxyHandler implements ConnectionHandler {
    private final SocketAddress backend;

    /** @param backend where to connect: an {@code InetSocketAddress} or {@code UnixDomainSocketAddress} */
    public ProxyHandler(SocketAddress backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    @Override
    public void onOpen(Connection client) {
        client.pauseReading(); // nowhere to forward to until the backend is connected
        client.pauseReadingWhenUnwritable(false); // see Side.onOpen
        client.connect(backend, Framing.raw(), new Side(client)).whenComplete((server, error) -> {
            if (error != null) {
                client.abort(); // the backend refused or timed out: so does the proxy
            } else if (!client.isOpen()) {
                server.abort(); // the client went away while we connected
            } else {
                client.attach(server);
                client.resumeReading();
            }
        });
    }

    @Override
    public void onFrame(Connection client, ByteBuffer bytes) {
        forward(client, bytes);
    }

    @Override
    public void onWritabilityChanged(Connection client) {
        follow(client);
    }

    @Override
    public void onInputClosed(Connection client) {
        Connection server = client.attachment();
        if (server != null) {
            server.shutdownOutput(); // the client's FIN, passed on after what it sent
        }
    }

    @Override
    public void onClose(Connection client, CloseReason reason, Throwable cause) {
        closeOther(client.attachment(), reason);
    }

    /** Writes what {@code from} read to its other side; pauses {@code from} if that is full. */
    static void forward(Connection from, ByteBuffer bytes) {
        Connection to = from.attachment();
        to.write(bytes);
        if (!to.isWritable()) {
            from.pauseReading(); // resumed by to's onWritabilityChanged
        }
    }

    /** {@code c}'s output crossed a watermark: the other side's reading follows. */
    static void follow(Connection c) {
        Connection other = c.attachment();
        if (other == null) {
            return;
        }
        if (c.isWritable()) {
            other.resumeReading();
        } else {
            other.pauseReading();
        }
    }

    /** One side closed: a reset or error aborts the other, anything else closes it gracefully. */
    static void closeOther(Connection other, CloseReason reason) {
        if (other == null) {
            return;
        }
        if (reason == CloseReason.RESET || reason == CloseReason.IO_ERROR) {
            other.abort();
        } else {
            other.close(); // sends what it is owed first
        }
    }

    /** The backend side: the same moves, mirrored. */
    private static final class Side implements ConnectionHandler {
        private final Connection client;

        Side(Connection client) {
            this.client = client;
        }

        @Override
        public void onOpen(Connection server) {
            server.attach(client);
            // What a side reads goes to the other side, so its reading follows the other side's
            // writability only (follow). Paused by its own watermark too, the backend side would
            // stop reading replies while its requests wait on a backend that, full of unread
            // replies, stops reading them: both directions' buffers full, nobody reading.
            server.pauseReadingWhenUnwritable(false);
        }

        @Override
        public void onFrame(Connection server, ByteBuffer bytes) {
            forward(server, bytes);
        }

        @Override
        public void onWritabilityChanged(Connection server) {
            follow(server);
        }

        @Override
        public void onInputClosed(Connection server) {
            client.shutdownOutput(); // the backend's FIN, passed on after its last bytes
        }

        @Override
        public void onClose(Connection server, CloseReason reason, Throwable cause) {
            closeOther(client, reason);
        }
    }
}
