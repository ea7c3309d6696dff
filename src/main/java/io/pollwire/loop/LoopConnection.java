// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.Framing;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Poller;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * One connection's life on its event loop: its state, the events the loop dispatches to it,
 * and how it closes and drains. The rest is in its rooms: {@link ConnectionInput} (read, frame,
 * handle, keep the partial frame), {@link ConnectionOutput} (queue, reserved reply places,
 * watermarks, interest, FIN), {@link Linger} (between our FIN and the close) and
 * {@link ConnectionHandle} (the {@code Connection} the application holds, any thread, with its
 * ordered {@link Handoff}, whose items {@link HandoffOps} applies) and {@link HandlerCalls} (the
 * handler's callbacks outside a frame, and what its exceptions cost) and {@link HalfClosure}
 * (what the peer's FIN and the application's {@code shutdownOutput()} do). Loop thread only.
 *
 * <pre>
 *   OPEN ──close()/EOF/error──▶ CLOSING: send what is owed, FIN, linger ──settled──▶ CLOSED
 *     │                            (no progress for {@link #CLOSE_TIMEOUT_NANOS}: forced)  ▲
 *     └──server shutdown──▶ DRAINING: the same (idle: FIN at once), timed by the drain ───┘
 * </pre>
 *
 * <p>What is owed: queued output, outstanding deferred replies and what waits behind them,
 * writes in transit from other threads. Closing sends FIN after them and lingers (reads and
 * discards) instead of closing at once: closing a socket with unread input makes the kernel
 * send RST, which can destroy replies (an {@code ERR} line, the last echoes) still on their
 * way; the linger ends as soon as the kernel reports them acknowledged.
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
    final Linger linger;
    /** Applies what {@link #handle} is handed, on the loop. */
    final HandoffOps handoffOps;

    private State state = State.OPEN;
    private long lastActivity;
    private CloseReason closeReason;
    private Throwable closeCause;
    /** Next in the loop's {@link PendingFlushes} list, or null. */
    LoopConnection nextPending;
    /** The connect in progress of an outbound connection (state CONNECTING), else null. */
    private Connector.Pending connecting;
    /** The application called close(): later writes are refused. */
    private boolean closeRequested;
    /** The server's drain found this connection owed replies (else it was idle). */
    private boolean drainOwed;
    /** The application called shutdownOutput(): FIN once what is owed is sent, reading goes on. */
    private boolean shutdownOutputRequested;
    /** Its parent and children ({@code Connection.connect}), for the drain; null until linked. */
    ConnectionLinks links;

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
        this.handoffOps = new HandoffOps(this);
        this.handle.handoff.bind(handoffOps);
        this.linger = new Linger(this);
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

    /**
     * @return true while the application's writes are taken: until close() (in order), our
     *     FIN, or the close. A closing or draining connection still takes them until its FIN.
     */
    boolean acceptsWrites() {
        return state != State.CLOSED && !closeRequested && !shutdownOutputRequested && !output.isShut();
    }

    /** @return true when our FIN is due once nothing is owed: closing, or shutdownOutput() */
    boolean outputEnding() {
        return state != State.OPEN || shutdownOutputRequested;
    }

    /** @return bytes read and thrown away after our FIN */
    long discardedBytes() {
        return linger.discardedBytes;
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
                linger.discardInput();
            }
        }
    }

    // ---- closing -------------------------------------------------------------------------

    /** The application called shutdownOutput() (see {@link HalfClosure}). */
    void requestOutputShutdown() {
        shutdownOutputRequested = true;
    }

    /** @return true once the application called shutdownOutput() */
    boolean outputShutdownRequested() {
        return shutdownOutputRequested;
    }

    /** Stops reading; closes once the queued output is flushed. */
    void closeGracefully(CloseReason reason, Throwable cause) {
        if (reason == CloseReason.LOCAL) {
            closeRequested = true; // the application's close(): its later writes are refused
        }
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
        linger.end();
        handle.markNotOpen();
        socket.close();
        output.clear();
        handle.handoff.close();
        input.release();
        loop.released(this);
        loop.core.connectionClosed();
        if (links != null) {
            links.closed(); // before onClose: a drained parent's children drain now
        }
        if (failedConnect != null) {
            ConnectionEvents.connectFailed(this, cause);
            failedConnect.failed(reason, cause); // never opened: the handler hears nothing
            return;
        }
        ConnectionEvents.closed(this, reason, cause);
        try {
            handler.onClose(handle, reason, cause);
        } catch (Throwable t) {
            LoopLog.LOG.log(Level.WARNING, "onClose of connection " + id + " threw", t);
        }
    }

    /**
     * The graceful close is over: both directions done, or our output settled (see
     * {@link Linger}), or the peer reset.
     *
     * @param fallbackCause the cause to report when the close had none (a reset), or null
     */
    void finishClose(Throwable fallbackCause) {
        closeNow(closeReason, closeCause != null ? closeCause : fallbackCause);
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

    /**
     * Allocating on behalf of this connection failed (a queue chunk, a buffer): counted, logged
     * at most once per burst, and only this connection closes.
     */
    void outOfMemory(OutOfMemoryError e) {
        loop.core.budget.allocationFailed(this, e);
        closeNow(CloseReason.OVERLOADED, e);
    }

    /** A read, write or poller call failed: the connection is gone. */
    void fail(IOException e) {
        closeNow(socket.isConnectionReset(e) ? CloseReason.RESET : CloseReason.IO_ERROR, e);
    }

    // ---- draining (server shutdown) ------------------------------------------------------

    /**
     * Server shutdown: stop handling input (complete frames already read were handled when
     * read), drop any partial frame, flush the queue, then send FIN and discard input until
     * the peer closes, so no RST destroys replies still in flight.
     */
    void beginDrain() {
        if (state == State.DRAINING || state == State.OPEN && heldByParent()) {
            return; // released by its parent already, or kept open for it (see ConnectionLinks)
        }
        if (state == State.OPEN) {
            HandlerCalls.drainStarting(this); // may reserve replies; a throw closes it (CLOSING)
        }
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
        drainOwed = output.owed();
        ConnectionEvents.draining(this, drainOwed);
        boolean finAlreadySent = output.isShut();
        state = State.DRAINING;
        handle.markNotOpen();
        if (finAlreadySent) {
            finSent(); // after shutdownOutput(): now only the linger is left
        }
        output.afterChange();
    }

    /** @return true when the drain found replies owed (queued, held, deferred), false when idle */
    boolean drainedWithReplies() {
        return drainOwed;
    }

    /**
     * The drain timed out: give up the deferred replies still outstanding, before the forced
     * close.
     *
     * @return how many were still pending
     */
    int abandonReplies() {
        return state == State.CLOSED ? 0 : output.clear();
    }

    /** Our FIN went out: linger unless the peer's FIN came already (see {@link Linger}). */
    void finSent() {
        if (!input.ended() && state != State.CLOSED && state != State.OPEN) {
            linger.start(); // an OPEN connection (shutdownOutput) reads on, for the application
        }
        if (state == State.DRAINING && links != null) {
            links.releaseChildren(); // it owes nothing more: its outbound connections drain too
        }
    }

    /** @return bytes of the partial frame {@link #beginDrain()} will discard */
    long drainedPartialBytes() {
        return state == State.OPEN && heldByParent() ? 0 : input.partialBytes();
    }

    /** @return true while the drain keeps this outbound connection open for its parent */
    private boolean heldByParent() {
        return links != null && links.heldByParent();
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + handle.remoteAddress() + "]";
    }
}
