package io.pollwire;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One accepted TCP connection, owned by one event loop.
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

    /** @return the peer's address (kept after the connection closes), or null if unknown */
    InetSocketAddress remoteAddress();

    /**
     * @return the local address of this connection (kept after the connection closes), or null
     *     if unknown
     */
    InetSocketAddress localAddress();

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
