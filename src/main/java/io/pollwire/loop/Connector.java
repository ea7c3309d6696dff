// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.SocketOptions;
import io.pollwire.codec.Framing;
import io.pollwire.shutdown.ShutdownHook;
import io.pollwire.transport.ConnectErrors;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Poller;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Where a loop's outbound connections come from: a non-blocking connect on the loop's own
 * poller (Netty's {@code Bootstrap.connect}, libuv's {@code uv_tcp_connect}). The socket is made,
 * its options set, {@code connect(2)} started; the loop waits for WRITE readiness and reads the
 * outcome ({@code SO_ERROR}, or {@code finishConnect} on NIO). Until then the connection sits in
 * its slot in state CONNECTING, so a shutdown sees and abandons it; once connected it is an
 * ordinary connection: framing, watermarks, idle timeout and drain, exactly like an accepted one.
 * A host name is resolved on a resolver thread, never on the loop ({@link Resolver}).
 * Loop thread only, except {@link #connect}.
 */
final class Connector {
    private Connector() {}

    /**
     * Connects from any thread: the work runs on {@code loop}, and so does the completion of the
     * returned future (a handler continuing there stays on its loop, with no thread hop).
     *
     * @param address a {@link java.net.UnixDomainSocketAddress} or an {@link InetSocketAddress}
     *     (an unresolved one is resolved first, off the loop)
     * @param timeoutNanos the connect (and resolution) fails after this long; 0 for no timeout
     * @param parent the connection of {@code loop} this one is opened from
     *     ({@code Connection.connect}): the new one is linked to it ({@link ConnectionLinks});
     *     null for a {@code Client}'s
     */
    static CompletableFuture<Connection> connect(EventLoop loop, SocketAddress address, Framing framing,
            ConnectionHandler handler, SocketOptions options, long timeoutNanos, LoopConnection parent) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Request r = new Request(loop, address, framing, handler, options, timeoutNanos, result, parent);
        if (address instanceof InetSocketAddress && ((InetSocketAddress) address).isUnresolved()) {
            Resolver.resolve((InetSocketAddress) address, timeoutNanos).whenComplete((resolved, error) -> {
                if (error != null) {
                    result.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                } else {
                    r.submit(resolved);
                }
            });
        } else {
            r.submit(address);
        }
        return result;
    }

    /** One connect request, from the caller's thread to the loop. */
    private static final class Request {
        final EventLoop loop;
        final SocketAddress requested;
        final Framing framing;
        final ConnectionHandler handler;
        final SocketOptions options;
        final long timeoutNanos;
        final CompletableFuture<Connection> result;
        final LoopConnection parent;

        Request(EventLoop loop, SocketAddress requested, Framing framing, ConnectionHandler handler,
                SocketOptions options, long timeoutNanos, CompletableFuture<Connection> result,
                LoopConnection parent) {
            this.loop = loop;
            this.requested = requested;
            this.framing = framing;
            this.handler = handler;
            this.options = options;
            this.timeoutNanos = timeoutNanos;
            this.result = result;
            this.parent = parent;
        }

        void submit(SocketAddress address) {
            if (loop.inLoop()) {
                start(address);
            } else if (!loop.execute(() -> start(address))) {
                result.completeExceptionally(shuttingDown(address));
            }
        }

        /** On the loop: socket, options, connect, register. */
        void start(SocketAddress address) {
            ShutdownHook hook = loop.shutdownHook();
            if (loop.isStopRequested() || hook != null) {
                result.completeExceptionally(shuttingDown(address));
                return;
            }
            NetSocket socket;
            try {
                socket = loop.core.backend().newSocket(address);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e instanceof IOException ? ConnectErrors.failed(address, (IOException) e) : e);
                return;
            }
            ConnectionSlots slots = loop.slots;
            int slot = slots.allocate();
            LoopConnection c;
            boolean connected;
            try {
                SocketSetup.apply(socket, options);
                c = new LoopConnection(loop, socket, slot, loop.core.nextConnectionId(), handler, framing);
                connected = socket.startConnect();
                // registered only now: an unconnected socket reads as writable/hung up to epoll
                loop.poller.register(socket, slot, connected ? Poller.READ : Poller.WRITE);
            } catch (IOException | RuntimeException | LinkageError e) {
                socket.close();
                slots.free(slot);
                result.completeExceptionally(e instanceof IOException ? ConnectErrors.failed(address, (IOException) e) : e);
                return;
            }
            Pending pending = new Pending(c, address, result);
            c.startConnecting(pending);
            slots.put(c);
            loop.core.outboundOpened();
            if (parent != null && !parent.isClosed()) {
                ConnectionLinks.link(parent, c);
            }
            if (connected) {
                pending.succeed();
            } else if (timeoutNanos > 0) {
                loop.timers.schedule(timeoutNanos, pending::timeout);
            }
        }
    }

    private static SocketException shuttingDown(SocketAddress address) {
        return new SocketException("connect(" + address + ") failed: the event loop is shutting down");
    }

    /** A connect in progress, held by its connection until it is decided. Loop thread only. */
    static final class Pending {
        private final LoopConnection c;
        private final SocketAddress address;
        private final CompletableFuture<Connection> result;
        private final long startedNanos = System.nanoTime();

        Pending(LoopConnection c, SocketAddress address, CompletableFuture<Connection> result) {
            this.c = c;
            this.address = address;
            this.result = result;
        }

        /** The socket is ready: the connect is decided (or, rarely, not yet). */
        void ready() {
            boolean done;
            try {
                done = c.socket.finishConnect(c.loop.poller.socketError(c.slot));
            } catch (IOException e) {
                c.closeNow(CloseReason.IO_ERROR, ConnectErrors.failed(address, e));
                return;
            }
            if (done) {
                try {
                    c.loop.poller.modify(c.socket, c.slot, Poller.READ);
                } catch (IOException e) {
                    c.closeNow(CloseReason.IO_ERROR, ConnectErrors.failed(address, e));
                    return;
                }
                succeed();
            }
        }

        void succeed() {
            c.connected();
            HandlerCalls.opened(c, true);
            // the future completes after onOpen, so the handler's state is set up when the
            // caller's continuation (on this loop) pairs the connection with another
            result.complete(c.handle);
        }

        void timeout() {
            if (c.isConnecting()) {
                c.closeNow(CloseReason.IO_ERROR, ConnectErrors.timedOut(address, System.nanoTime() - startedNanos));
            }
        }

        /** Called by the connection's close while still connecting: the connect failed. */
        void failed(CloseReason reason, Throwable cause) {
            result.completeExceptionally(cause != null ? cause : new SocketException(
                    "connect(" + address + ") abandoned: " + reason));
        }
    }
}
