// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.shutdown.ShutdownHook;
import io.pollwire.transport.NetListener;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Poller;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * Where a loop's connections come from: its listeners, accepting (with a back-off when the
 * process is out of descriptors), the round-robin hand-off to the other loops, and adopting a
 * socket into a slot. Loop thread only, except {@link #add} before the loop starts.
 */
final class Acceptor {
    /** Poller tokens from here up are listeners; below are connection slots. */
    static final int LISTENER_TOKEN_BASE = Integer.MAX_VALUE - 1024;
    static final long BACKOFF_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ACCEPTS_PER_EVENT = 64;

    private final EventLoop loop;
    private final NetListener[] listeners = new NetListener[8];
    private final long[] backoffNanos = new long[8];
    private int listenerCount;

    Acceptor(EventLoop loop) {
        this.loop = loop;
    }

    /** @return true when {@code token} belongs to a listener, not a connection */
    static boolean isListenerToken(int token) {
        return token >= LISTENER_TOKEN_BASE;
    }

    /** Registers a listener with the loop's poller. */
    void add(NetListener listener) throws IOException {
        if (listenerCount == listeners.length) {
            throw new IllegalStateException("too many listeners on one loop");
        }
        int k = listenerCount++;
        listeners[k] = listener;
        loop.poller.register(listener, LISTENER_TOKEN_BASE + k, Poller.READ);
    }

    /** Closes the listeners: from now on new connections are refused. */
    void closeAll() {
        for (int k = 0; k < listenerCount; k++) {
            if (listeners[k] != null) {
                listeners[k].close();
                listeners[k] = null;
            }
        }
    }

    /** @return the current back-off of listener {@code k} (0 when accepting normally) */
    long backoffNanos(int k) {
        return backoffNanos[k];
    }

    /** A listener's token is ready: accept what is waiting, up to a bound per event. */
    void acceptFrom(int token) {
        int k = token - LISTENER_TOKEN_BASE;
        NetListener listener = listeners[k];
        for (int i = 0; i < ACCEPTS_PER_EVENT && listener == listeners[k] && listener != null; i++) {
            NetSocket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isTransient(e)) {
                    continue;
                }
                pause(k, e);
                return;
            } catch (OutOfMemoryError e) {
                // no memory for a new connection: back off like EMFILE
                pause(k, new IOException("out of memory", e));
                return;
            }
            if (socket == null) {
                return;
            }
            backoffNanos[k] = 0; // an accept worked: the next failure starts a new burst
            handOff(socket);
        }
    }

    private void handOff(NetSocket socket) {
        ServerCore core = loop.core;
        if (!core.tryReserveConnection()) {
            loop.stats.increment(LoopStats.REJECTED);
            socket.close();
            return;
        }
        loop.stats.increment(LoopStats.ACCEPTED);
        // With a listener per loop (SO_REUSEPORT) the kernel already spread the connections:
        // keep them here. Otherwise hand them round-robin to every loop.
        EventLoop target = loop.config.listenerPerLoop() ? loop : core.nextLoop();
        if (target == loop) {
            adopt(socket);
        } else if (!target.execute(() -> target.acceptor.adopt(socket))) {
            socket.close();
            core.connectionClosed();
        }
    }

    /**
     * Out of descriptors (EMFILE/ENFILE) or memory: stop watching the listener for a while
     * instead of spinning on an accept that keeps failing, keep serving the connections we
     * have, and try again with a growing delay. Logged once per burst.
     */
    private void pause(int k, IOException e) {
        NetListener listener = listeners[k];
        long backoff = backoffNanos[k];
        if (backoff == 0) {
            LoopLog.safely(Level.WARNING, "accept failed on " + listener.localAddress() + " ("
                    + e.getMessage() + "); pausing accepts and serving existing connections", null);
        }
        backoff = backoff == 0 ? BACKOFF_MIN_NANOS : Math.min(BACKOFF_MAX_NANOS, backoff * 2);
        backoffNanos[k] = backoff;
        ConnectionEvents.acceptBackoff(loop, listener.localAddress(), backoff, e);
        try {
            loop.poller.modify(listener, LISTENER_TOKEN_BASE + k, 0);
        } catch (IOException modifyFailed) {
            LoopLog.safely(Level.WARNING, "cannot pause listener " + listener.localAddress(), modifyFailed);
        }
        loop.timers.schedule(backoff, () -> resume(k, listener));
    }

    private void resume(int k, NetListener listener) {
        if (listeners[k] != listener) {
            return; // closed meanwhile (shutdown)
        }
        try {
            loop.poller.modify(listener, LISTENER_TOKEN_BASE + k, Poller.READ);
        } catch (IOException e) {
            LoopLog.LOG.log(Level.WARNING, "cannot resume listener " + listener.localAddress(), e);
            return;
        }
        acceptFrom(LISTENER_TOKEN_BASE + k);
    }

    /** Takes ownership of an accepted socket: registers it and tells the handler. */
    void adopt(NetSocket socket) {
        ShutdownHook hook = loop.shutdownHook();
        if (loop.isStopRequested() || (hook != null && hook.forcing())) {
            socket.close();
            loop.core.connectionClosed();
            return;
        }
        ConnectionSlots slots = loop.slots;
        int slot = slots.allocate();
        LoopConnection c;
        try {
            // the framer comes from user code: build everything before the socket is registered
            c = new LoopConnection(loop, socket, slot, loop.core.nextConnectionId());
            SocketSetup.apply(socket, loop.config.socketOptions());
            loop.poller.register(socket, slot, Poller.READ);
        } catch (IOException | RuntimeException | LinkageError | OutOfMemoryError e) {
            // reset before we could take it, or a framer that cannot be made, or no memory for
            // it: the application never saw this connection, so no callbacks; nothing of it may
            // stay behind (an OutOfMemoryError costs this connection only)
            if (!(e instanceof IOException)) {
                LoopLog.safely(Level.ERROR, "cannot set up an accepted connection; closing it", e);
            }
            socket.close();
            slots.free(slot);
            loop.core.connectionClosed();
            return;
        }
        slots.put(c);
        if (hook != null) {
            // Accepted just before the listener closed: counted first (its close reports to the
            // hook), seen by the handler like any other, then drained like the rest.
            hook.draining(1, 0);
            loop.stats.increment(LoopStats.DRAINS_STARTED);
        }
        HandlerCalls.opened(c, false);
        if (hook != null && !c.isClosed()) {
            c.beginDrain();
        }
    }
}
