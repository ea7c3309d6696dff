package io.pollwire.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A connected non-blocking stream socket: the tiny I/O surface the event loop needs, so that
 * framing, backpressure and shutdown are written once for every transport. Used by one event
 * loop thread at a time; not thread-safe.
 */
public abstract class NetSocket implements Pollable {
    /**
     * Reads into {@code dst[offset, offset + length)}.
     *
     * @return bytes read ({@code > 0}), 0 when nothing is available now, -1 at end of stream
     * @throws IOException on a connection error (reset, timeout...)
     */
    public abstract int read(IoBuffer dst, int offset, int length) throws IOException;

    /**
     * Writes from {@code src[offset, offset + length)}; never raises SIGPIPE.
     *
     * @return bytes written, 0 when the socket's send buffer is full
     * @throws IOException on a connection error (reset, broken pipe...)
     */
    public abstract int write(IoBuffer src, int offset, int length) throws IOException;

    /**
     * Gathering write of every segment in {@code batch}.
     *
     * @return bytes written, 0 when the send buffer is full
     * @throws IOException on a connection error
     */
    public abstract long write(WriteBatch batch) throws IOException;

    /** Sends FIN: the peer reads end of stream after the bytes already written. */
    public abstract void shutdownOutput() throws IOException;

    /** Closes the socket; idempotent, never throws. Closing also removes it from its poller. */
    public abstract void close();

    /** Makes the next {@link #close()} send RST instead of FIN ({@code SO_LINGER} 0). */
    public abstract void setLingerZero() throws IOException;

    /** Disables Nagle's algorithm, as a low-latency server wants. */
    public abstract void setTcpNoDelay(boolean on) throws IOException;

    /** @return the local address, or null when it cannot be read (closed socket) */
    public abstract InetSocketAddress localAddress();

    /** @return the peer's address, or null when it cannot be read (closed, reset) */
    public abstract InetSocketAddress remoteAddress();

    /**
     * @return bytes of our output, FIN included, the peer has not acknowledged yet (Linux
     *     {@code SIOCOUTQ}, macOS {@code SO_NWRITE}), or -1 when this transport cannot tell
     *     (NIO): the loop then lingers for a short grace instead
     */
    public long unacknowledgedBytes() {
        return -1;
    }

    /** @return true when {@code error} means the peer reset the connection */
    public abstract boolean isConnectionReset(IOException error);
}
