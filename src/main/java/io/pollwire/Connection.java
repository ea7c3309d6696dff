package io.pollwire;

import io.pollwire.codec.Framing;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One connection (TCP or Unix domain; accepted by a {@link Server} or made by a {@link Client}
 * or {@link #connect}), owned by one event loop.
 *
 * <p>Writes are queued in order and flushed by the loop; they never block. Every method is
 * safe to call from any thread: called outside the connection's loop thread, the data is
 * copied and handed to the loop (and counts in {@link #queuedBytes()} on its way). Inside a
 * handler callback (the loop thread) writes are batched and sent with one system call when the
 * callback's read has been processed.
 *
 * <p>Writes to a connection that is no longer open are dropped. In particular, once the peer
 * has ended its stream (half-close) and what was queued has been sent, the connection closes:
 * a reply computed later on another thread finds it closed. Reply from the handler, or keep
 * track of {@link ConnectionHandler#onClose}.
 */
public interface Connection {
    /** @return a number unique among this server's connections */
    long id();

    /**
     * @return the peer's address (kept after the connection closes), or null if unknown: an
     *     {@code InetSocketAddress}, or a {@code UnixDomainSocketAddress} (with an empty path
     *     for the unnamed client of a Unix domain server, as the JDK reports it)
     */
    SocketAddress remoteAddress();

    /** @return the local address of this connection, or null once closed */
    SocketAddress localAddress();

    /**
     * Opens an outbound connection on this connection's own event loop, so that the two pass
     * bytes without a thread hop (a proxy's backend; Netty's HexDumpProxy does the same with
     * {@code Bootstrap.group(inbound.eventLoop())}). The new connection has its own framing and
     * handler and otherwise lives like an accepted one: this server's socket options,
     * watermarks, idle timeout, connect timeout ({@link Server.Builder#connectTimeout}), and
     * its drain and count in the shutdown report.
     *
     * <p>The future completes on this loop's thread, after the new connection's
     * {@link ConnectionHandler#onOpen}: continuations may touch both connections directly. It
     * fails with the JDK's exception types, address included: {@link java.net.ConnectException}
     * ({@code connect(/127.0.0.1:1) failed: Connection refused}), {@link
     * java.net.NoRouteToHostException}, {@link java.net.SocketTimeoutException} after the connect
     * timeout, {@link java.net.UnknownHostException}. A connection that never opened gets no
     * handler callbacks.
     *
     * @param address an {@code InetSocketAddress} (an unresolved one is resolved off the loop)
     *     or a {@code UnixDomainSocketAddress}
     * @param framing how the new connection's input is cut into frames
     * @param handler the new connection's callbacks
     * @return the open connection
     */
    CompletableFuture<Connection> connect(SocketAddress address, Framing framing, ConnectionHandler handler);

    /**
     * Queues bytes to send.
     *
     * @param bytes sent as they are; the array may be reused once this returns
     */
    void write(byte[] bytes);

    /**
     * Queues {@code bytes[offset, offset + length)} to send.
     *
     * @param bytes the source; may be reused once this returns
     */
    void write(byte[] bytes, int offset, int length);

    /**
     * Queues the remaining bytes of {@code src} (its position advances to its limit).
     *
     * @param src the source; may be reused once this returns
     */
    void write(ByteBuffer src);

    /**
     * Sends the frame being handled back exactly as it arrived, delimiter included, without
     * copying it: consecutive echoes go out as one range of the input buffer.
     *
     * @throws IllegalStateException outside {@link ConnectionHandler#onFrame} or
     *     {@link ConnectionHandler#onPartialFrame} of this connection
     */
    void echo();

    /**
     * Closes gracefully: stops reading, flushes what was queued, then closes. Idempotent.
     */
    void close();

    /** Closes at once, discarding queued output. Idempotent. */
    void abort();

    /** @return false once the connection is closing or closed */
    boolean isOpen();

    /**
     * @return bytes queued but not yet accepted by the kernel (a hint; exact on the loop thread)
     */
    long queuedBytes();

    /**
     * @return false while reading is paused because {@link #queuedBytes()} passed the high
     *     watermark: the peer is not reading its replies
     */
    boolean isWritable();

    /** Attaches application state to this connection (per-connection handler state). */
    void attach(Object attachment);

    /**
     * @param <T> the type the caller expects
     * @return the attached object, or null
     */
    <T> T attachment();
}
