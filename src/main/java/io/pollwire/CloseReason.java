// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

/**
 * Why a connection was closed, as told to {@link ConnectionHandler#onClose}.
 *
 * <p>There is no reason for connections refused by {@code Server.Builder.maxConnections}: they
 * are closed as soon as they are accepted, before any callback, so the handler never sees them;
 * {@link ServerStats#rejected()} counts them.
 */
public enum CloseReason {
    /** The peer closed its side (end of stream) and every reply was flushed. */
    PEER_CLOSED,
    /** The peer reset the connection (RST), or a write found it gone. */
    RESET,
    /** No bytes moved in either direction for the configured idle timeout. */
    IDLE,
    /** The input broke the framing (e.g. a line over the maximum length). */
    FRAMING_ERROR,
    /** The handler threw; only this connection is closed. */
    HANDLER_ERROR,
    /** A read or write failed for another reason. */
    IO_ERROR,
    /** The application called {@link Connection#close()} or {@link Connection#abort()}. */
    LOCAL,
    /** The server shut down: drained cleanly if the drain finished, else forced. */
    SHUTDOWN,
    /**
     * Shed to protect the server: keeping its partial frame would have passed the server-wide
     * memory budget ({@code Server.Builder.maxBufferedBytes}), or allocating memory for it
     * failed ({@link OutOfMemoryError}, then the cause). The handler first hears of it through
     * {@link ConnectionHandler#onFramingError} with a {@link ServerBusyException}.
     */
    OVERLOADED
}
