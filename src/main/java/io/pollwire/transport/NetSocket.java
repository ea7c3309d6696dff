// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A non-blocking stream socket (TCP or Unix domain), accepted or connecting out: the tiny I/O
 * surface the event loop needs, so that framing, backpressure and shutdown are written once for
 * every transport. Used by one event loop thread at a time; not thread-safe.
 */
public abstract class NetSocket implements Pollable {
    /**
     * Starts connecting a socket made by {@link Backend#newSocket} to its remote address, without
     * blocking.
     *
     * @return true when connected at once; false while in progress (wait for WRITE readiness,
     *     then {@link #finishConnect(int)})
     * @throws IOException when the connect failed at once (refused, unreachable...): the raw
     *     error; {@link ConnectErrors} adds the address
     */
    public abstract boolean startConnect() throws IOException;

    /**
     * Completes a connect after the socket became ready ({@code SO_ERROR} on the native
     * transports, {@code SocketChannel.finishConnect} on NIO).
     *
     * @param pollerError what {@link Poller#socketError(int)} said of this socket's event: the
     *     failure when the poller consumed {@code SO_ERROR} (libkqueue), else 0
     * @return true once connected, false when still in progress
     * @throws IOException the reason the connect failed
     */
    public abstract boolean finishConnect(int pollerError) throws IOException;

    /** @return true for TCP, false for a Unix domain socket (no TCP options apply) */
    public abstract boolean isTcp();

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
    public void setLingerZero() throws IOException {
        setLinger(0);
    }

    /**
     * {@code SO_LINGER}: {@code close()} waits up to {@code seconds} for unsent data, or with 0
     * discards it and sends RST.
     */
    public abstract void setLinger(int seconds) throws IOException;

    /** Disables Nagle's algorithm, as a low-latency server wants. TCP only. */
    public abstract void setTcpNoDelay(boolean on) throws IOException;

    /**
     * {@code SO_KEEPALIVE} and its tuning ({@code TCP_KEEPIDLE}, {@code TCP_KEEPINTVL},
     * {@code TCP_KEEPCNT}, see tcp(7)). TCP only.
     *
     * @param idleSeconds idle time before the first probe; 0 keeps the system's default
     * @param intervalSeconds time between probes; 0 keeps the system's default
     * @param count unanswered probes before the connection is dropped; 0 keeps the default
     * @throws IOException also when a tuning value is asked for that this OS does not have
     */
    public abstract void setKeepAlive(boolean on, int idleSeconds, int intervalSeconds, int count)
            throws IOException;

    /**
     * {@code SO_RCVBUF} / {@code SO_SNDBUF} (the kernel may round or double them, see socket(7)).
     *
     * @param receiveBytes 0 keeps the system's default
     * @param sendBytes 0 keeps the system's default
     */
    public abstract void setBufferSizes(int receiveBytes, int sendBytes) throws IOException;

    /**
     * Reads an int socket option back, for tests and diagnostics.
     *
     * @param name one of {@code "SO_RCVBUF"}, {@code "SO_SNDBUF"}, {@code "SO_KEEPALIVE"},
     *     {@code "TCP_NODELAY"}, {@code "TCP_KEEPIDLE"}, {@code "TCP_KEEPINTVL"},
     *     {@code "TCP_KEEPCNT"}, {@code "SO_LINGER"} (seconds, -1 when off)
     */
    public abstract int intOption(String name) throws IOException;

    /**
     * @return the local address ({@code InetSocketAddress} or {@code UnixDomainSocketAddress}),
     *     or null when it cannot be read (closed socket)
     */
    public abstract SocketAddress localAddress();

    /** @return the peer's address, or null when it cannot be read (closed, reset) */
    public abstract SocketAddress remoteAddress();

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
