package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.Framing;
import io.pollwire.codec.FramingException;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Poller;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * One connection's life on its event loop: its state, the events the loop dispatches to it,
 * and how it closes and drains. The rest is in its rooms: {@link ConnectionInput} (read, frame,
 * handle, keep the partial frame), {@link ConnectionOutput} (queue, watermarks, interest, FIN)
 * and {@link ConnectionHandle} (the {@code Connection} the application holds, any thread).
 * Loop thread only.
 *
 * <pre>
 *   OPEN ──close()/EOF/error──▶ CLOSING: flush, FIN, discard input ──peer's FIN──▶ CLOSED
 *     │                            (at most {@link #CLOSE_TIMEOUT_NANOS}, then forced)   ▲
 *     └──server shutdown──▶ DRAINING: the same, timed by the shutdown coordinator ────────┘
 * </pre>
 *
 * <p>Closing sends FIN and reads until the peer's FIN instead of closing at once: closing a
 * socket with unread input makes the kernel send RST, which can destroy the replies (an
 * {@code ERR} line, the last echoes) still on their way to the peer.
 */
final class LoopConnection {
    /**
     * A graceful close (flush, FIN, wait for the peer's FIN) is forced once no byte has moved
     * for this long: a slow but steady reader still gets all of its replies.
     */
    static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** CONNECTING: an outbound connection whose connect is in progress (see {@link Connector}). */
    private enum State { CONNECTING, OPEN, CLOSING, DRAINING, CLOSED }

    final EventLoop loop;
    final NetSocket socket;
    final int slot;
    final long id;
    final ConnectionHandler handler;
    final ConnectionInput input;
    final ConnectionOutput output;
    final ConnectionHandle handle;

    private State state = State.OPEN;
    private long lastActivity;
    /** Bytes read and thrown away after our FIN. */
    long discardedBytes;
    private CloseReason closeReason;
    private Throwable closeCause;
    /** Next in the loop's {@link PendingFlushes} list, or null. */
    LoopConnection nextPending;
    /** The connect in progress of an outbound connection (state CONNECTING), else null. */
    private Connector.Pending connecting;

    /** An accepted connection: the server's framing and handler. */
    LoopConnection(EventLoop loop, NetSocket socket, int slot, long id) {
        this(loop, socket, slot, id, loop.config.handler(), loop.config.framing());
    }

    /** A connection with its own framing and handler (outbound ones). */
    LoopConnection(EventLoop loop, NetSocket socket, int slot, long id, ConnectionHandler handler, Framing framing) {
        this.loop = loop;
        this.socket = socket;
        this.slot = slot;
        this.id = id;
        this.handler = handler;
        this.input = new ConnectionInput(this, framing);
        this.output = new ConnectionOutput(this);
        this.handle = new ConnectionHandle(this);
        this.lastActivity = loop.now;
    }

    // ---- state queries -------------------------------------------------------------------

    /** @return true while the connection reads, handles frames and accepts writes (OPEN) */
    boolean isServing() {
        return state == State.OPEN;
    }

    /** @return true while a close started by the application, the peer or an error is under way */
    boolean isClosingGracefully() {
        return state == State.CLOSING;
    }

    /** @return true once the socket is closed and the handler told */
    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** @return how long no byte moved either way, as of {@code now} ({@link System#nanoTime()}) */
    long quietNanos(long now) {
        return now - lastActivity;
    }

    /** Bytes moved: the connection is not idle. */
    void touch() {
        lastActivity = loop.now;
    }

    /** Makes this an outbound connection whose connect is under way. */
    void startConnecting(Connector.Pending pending) {
        state = State.CONNECTING;
        connecting = pending;
    }

    /** @return true while the outbound connect is in progress */
    boolean isConnecting() {
        return state == State.CONNECTING;
    }

    /** The connect succeeded: the connection is open and serves like an accepted one. */
    void connected() {
        state = State.OPEN;
        connecting = null;
        touch();
    }

    // ---- events --------------------------------------------------------------------------

    void opened() {
        handle.opened(socket.remoteAddress(), socket.localAddress());
        try {
            handler.onOpen(handle);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    void onReady(int ops) {
        if (state == State.CONNECTING) {
            connecting.ready();
            return;
        }
        if ((ops & Poller.WRITE) != 0 && !output.isEmpty()) {
            output.flush();
        }
        if ((ops & Poller.READ) != 0 && output.readInterest()) {
            if (state == State.OPEN) {
                input.read();
            } else {
                discardInput();
            }
        }
    }

    // ---- closing -------------------------------------------------------------------------

    /** The peer's FIN: stop reading; close once what we owe is sent. */
    void peerClosed() {
        closeGracefully(CloseReason.PEER_CLOSED, null);
    }

    /** Stops reading; closes once the queued output is flushed. */
    void closeGracefully(CloseReason reason, Throwable cause) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        handle.markNotOpen();
        closeReason = reason;
        closeCause = cause;
        // a peer that stops reading its replies or never closes must not hold the socket
        // forever: the loop's sweep closes it after CLOSE_TIMEOUT_NANOS without progress
        loop.timers.closingStarted();
        if (!loop.replies.ownedBy(output)) {
            output.afterChange();
        }
        // else: the reply batch's end() sends the read's output first, then closes
    }

    /** Closes at once, dropping queued output. */
    void closeNow(CloseReason reason, Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.CLOSING) {
            loop.timers.closingEnded();
        }
        Connector.Pending failedConnect = state == State.CONNECTING ? connecting : null;
        connecting = null;
        state = State.CLOSED;
        handle.markNotOpen();
        socket.close();
        output.clear();
        input.release();
        loop.released(this);
        loop.core.connectionClosed();
        if (failedConnect != null) {
            failedConnect.failed(reason, cause); // never opened: the handler hears nothing
            return;
        }
        try {
            handler.onClose(handle, reason, cause);
        } catch (Throwable t) {
            LoopLog.LOG.log(Level.WARNING, "onClose of connection " + id + " threw", t);
        }
    }

    /** Both directions are done (our FIN sent or nothing owed, the peer's FIN read). */
    void finishClose() {
        closeNow(closeReason, closeCause);
    }

    void closeIdle() {
        closeNow(CloseReason.IDLE, null);
    }

    /** The graceful close made no progress for {@link #CLOSE_TIMEOUT_NANOS}: give up on it. */
    void closeStalled() {
        closeNow(closeReason, closeCause);
    }

    /** The loop is ending without a drain: close, reporting SHUTDOWN. */
    void forceClose() {
        closeNow(CloseReason.SHUTDOWN, null);
    }

    /** A read, write or poller call failed: the connection is gone. */
    void fail(IOException e) {
        closeNow(socket.isConnectionReset(e) ? CloseReason.RESET : CloseReason.IO_ERROR, e);
    }

    void framingFailed(FramingException e) {
        try {
            handler.onFramingError(handle, e);
        } catch (Throwable t) {
            LoopLog.LOG.log(Level.WARNING, "onFramingError of connection " + id + " threw", t);
        }
        closeGracefully(CloseReason.FRAMING_ERROR, e);
    }

    void handlerFailed(Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
        try {
            handler.onError(handle, t);
        } catch (Throwable again) {
            LoopLog.LOG.log(Level.WARNING, "onError of connection " + id + " threw", again);
        }
        closeGracefully(CloseReason.HANDLER_ERROR, t);
    }

    // ---- draining (server shutdown) ------------------------------------------------------

    /**
     * Server shutdown: stop handling input (complete frames already read were handled when
     * read), drop any partial frame, flush the queue, then send FIN and discard input until
     * the peer closes, so no RST destroys replies still in flight.
     */
    void beginDrain() {
        input.release();
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.CONNECTING) {
            closeNow(CloseReason.SHUTDOWN, null); // nothing owed yet: the connect is abandoned
            return;
        }
        if (state == State.OPEN) {
            closeReason = CloseReason.SHUTDOWN;
        } else if (state == State.CLOSING) {
            loop.timers.closingEnded(); // a CLOSING connection keeps its reason; the coordinator times it
        }
        state = State.DRAINING;
        handle.markNotOpen();
        output.resumeReading();
        output.afterChange();
    }

    /** @return bytes of the partial frame {@link #beginDrain()} will discard */
    long drainedPartialBytes() {
        return input.partialBytes();
    }

    /** After our FIN: read and drop whatever the peer still sends, until its FIN. */
    private void discardInput() {
        IoBuffer in = loop.in;
        try {
            for (int i = 0; i < 16; i++) {
                int n = socket.read(in, 0, in.capacity());
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    input.markEnded();
                    closeNow(closeReason, closeCause);
                    return;
                }
                discardedBytes += n;
                touch();
            }
        } catch (IOException e) {
            // the peer reset instead of closing: the close is over, with the reason we had
            closeNow(closeReason, closeCause != null ? closeCause : e);
        }
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + handle.remoteAddress() + "]";
    }
}
