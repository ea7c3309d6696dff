// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.codec.Framing;
import io.pollwire.loop.LoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A running server: event loops serving the connections of one listening address, TCP or a Unix
 * domain socket path ({@code bind(UnixDomainSocketAddress.of("/run/app.sock"))}; a stale socket
 * file there is replaced, a path a live server owns is refused, the file is removed on close).
 *
 * <pre>{@code
 * try (Server server = Server.builder()
 *         .bind("127.0.0.1", 7000)
 *         .framing(Framing.lines(64 * 1024))
 *         .handler((conn, line) -> conn.echo())
 *         .start()) {
 *     System.out.println("listening on " + server.address() + " via " + server.transport());
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully with the configured drain timeout (10 s by default):
 * the listener closes first, in-flight replies are flushed, then connections that did not
 * finish are forced. {@link #shutdown(Duration)} does the same without blocking and reports
 * what happened.
 */
public final class Server implements AutoCloseable {
    private final Transport transport;
    private final LoopGroup loops;

    private Server(Transport transport, LoopGroup loops) {
        this.transport = transport;
        this.loops = loops;
    }

    /** @return a builder with the defaults described on each of its methods */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the bound TCP address (the real port when 0 was asked for); {@code null} for a
     *     server bound to a Unix domain socket path, whose address only {@link #address()}
     *     gives (a {@code UnixDomainSocketAddress}). Code that prints where a server listens
     *     should print {@link #address()}, which works for both.
     */
    public InetSocketAddress localAddress() {
        SocketAddress a = loops.localAddress();
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    /**
     * @return the bound address, never null while the server runs: an {@code InetSocketAddress}
     *     (as {@link #localAddress()}) or a {@code UnixDomainSocketAddress} (the socket path)
     */
    public SocketAddress address() {
        return loops.localAddress();
    }

    /** The report goes to {@code sink} instead of the log ({@link ShutdownSignals}: printed once). */
    void reportTo(Consumer<ShutdownReport> sink) {
        loops.reportTo(sink);
    }

    /** @return the loops, for a {@link Client} that shares them */
    LoopGroup loops() {
        return loops;
    }

    /** @return the transport in use (never {@link Transport#AUTO}) */
    public Transport transport() {
        return transport;
    }

    /** @return the number of event loops */
    public int loopCount() {
        return loops.size();
    }

    /** @return connections currently open (cheap: one atomic read; {@link #stats()} has the rest) */
    public int openConnections() {
        return loops.openConnections();
    }

    /**
     * The server's counters now: connections accepted, rejected and closed by reason, bytes,
     * frames, framing errors, write-queue high-water mark, accept back-offs, drains. Counting
     * is lock-free and per loop; this sums the loops, on any thread. See {@link ServerStats}.
     *
     * @return a new snapshot
     */
    public ServerStats stats() {
        return ServerStats.of(loops);
    }

    /**
     * Starts a graceful shutdown if none is running, and returns without blocking: the
     * listeners close, every connection stops reading new requests and is flushed, sent FIN and
     * closed once the peer closes; what has not drained within {@code drainTimeout} is forced.
     * Safe from any thread, including a handler, any number of times: every call returns the
     * same future.
     *
     * @param drainTimeout how long connections may take to drain before they are forced
     * @return completes with the report once every loop thread has stopped
     */
    public CompletableFuture<ShutdownReport> shutdown(Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        return loops.shutdown(drainTimeout);
    }

    /**
     * Stops waiting for connections to drain: starts the shutdown if needed and force-closes
     * what is still open.
     *
     * @return the same future as {@link #shutdown(Duration)}
     */
    public CompletableFuture<ShutdownReport> shutdownNow() {
        return loops.shutdownNow();
    }

    /**
     * Blocks until the server has shut down (someone called {@link #shutdown(Duration)},
     * {@link #close()} or {@link #shutdownNow()}).
     *
     * @return the shutdown report
     * @throws InterruptedException if this thread is interrupted while waiting; the server is
     *     not affected (its shutdown, if started, goes on)
     */
    public ShutdownReport awaitTermination() throws InterruptedException {
        return loops.awaitTermination();
    }

    /**
     * Graceful shutdown with the configured timeout, waiting for it to finish. Called on one of
     * this server's loop threads (from a handler) it only starts the shutdown, since waiting
     * there would stop the loop from draining.
     */
    @Override
    public void close() {
        loops.close();
    }

    @Override
    public String toString() {
        return "Server[" + loops.localAddress() + ", " + transport + ", " + loops.size() + " loops]";
    }

    /**
     * Configures and starts a {@link Server}. Every setting has a sensible default. A builder is
     * not thread-safe: configure it on one thread. Each setter checks its value at once, not at
     * {@link #start()}: a value out of range throws {@link IllegalArgumentException} (the message
     * says what is wrong, with the value), a null object a {@link NullPointerException}.
     */
    public static final class Builder {
        /** Default of {@link #maxDeferredReplies(int)}. */
        public static final int DEFAULT_MAX_DEFERRED_REPLIES = 1024;

        /** The values told so far, with their defaults and range checks. */
        final ServerSettings settings = new ServerSettings();

        private Builder() {}

        /**
         * @param transport which I/O mechanism; default {@link Transport#AUTO}. Whether it is
         *     available is checked at {@link #start()}.
         * @return this builder
         */
        public Builder transport(Transport transport) {
            settings.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * @param host a host name or address literal; {@code "0.0.0.0"} or {@code "::"} for all
         * @param port 0..65535; 0 for an ephemeral port (see {@link Server#localAddress()})
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range or the host cannot be
         *     resolved (resolution happens here, on the calling thread, and may block on DNS)
         */
        public Builder bind(String host, int port) {
            settings.address(host, port);
            return this;
        }

        /**
         * @param address where to listen: an {@code InetSocketAddress} (default all IPv4/IPv6
         *     addresses, ephemeral port) or a {@code UnixDomainSocketAddress}
         * @return this builder
         * @throws IllegalArgumentException if {@code address} is null, an unresolved
         *     {@code InetSocketAddress}, or of another kind
         */
        public Builder bind(SocketAddress address) {
            settings.address(address);
            return this;
        }

        /**
         * @param loops number of event loop threads, 1..1024; default: available processors
         * @return this builder
         * @throws IllegalArgumentException if {@code loops} is outside 1..1024
         */
        public Builder loops(int loops) {
            settings.loops(loops);
            return this;
        }

        /**
         * @param framing how to cut input into frames; default {@link Framing#lines()}
         * @return this builder
         */
        public Builder framing(Framing framing) {
            settings.framing = Objects.requireNonNull(framing, "framing");
            return this;
        }

        /**
         * @param handler the application callbacks (required), called on the loop threads:
         *     shared by every connection, so it must be thread-safe when {@code loops > 1}
         * @return this builder
         */
        public Builder handler(ConnectionHandler handler) {
            settings.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * @param backlog the listen queue length (listen(2); the kernel caps it at
         *     {@code net.core.somaxconn}), at least 1; default 1024
         * @return this builder
         * @throws IllegalArgumentException if {@code backlog} is less than 1
         */
        public Builder backlog(int backlog) {
            settings.backlog(backlog);
            return this;
        }

        /**
         * @param bytes how much one read asks the kernel for, 256 bytes..64 MiB; default 64 KiB.
         *     One read buffer of this size per event loop, shared by its connections.
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is outside 256..64 MiB
         */
        public Builder readBufferSize(int bytes) {
            settings.readBufferSize(bytes);
            return this;
        }

        /**
         * Backpressure: a connection whose queued output passes {@code high} bytes stops being
         * read until the queue falls to {@code low}. Defaults 128 KiB / 512 KiB.
         *
         * @param low bytes of queued output at which reading resumes and
         *     {@link Connection#isWritable()} becomes true again
         * @param high bytes of queued output above which reading pauses and
         *     {@link Connection#isWritable()} becomes false
         * @return this builder
         * @throws IllegalArgumentException unless {@code 0 <= low <= high}
         */
        public Builder writeBufferWaterMarks(long low, long high) {
            settings.writeBufferWaterMarks(low, high);
            return this;
        }

        /**
         * @param timeout close connections ({@link CloseReason#IDLE}) with no traffic for this
         *     long; default none ({@link Duration#ZERO})
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder idleTimeout(Duration timeout) {
            settings.idleTimeout(timeout);
            return this;
        }

        /**
         * @param max connections open at once, over all loops; 0 = no limit (the default). Over
         *     it, a new connection is closed as soon as it is accepted, before any callback (the
         *     handler never sees it), and counted in {@link ServerStats#rejected()}.
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is negative
         */
        public Builder maxConnections(int max) {
            settings.maxConnections(max);
            return this;
        }

        /**
         * @param on disable Nagle's algorithm; default true (same as {@link SocketOptions#tcpNoDelay})
         * @return this builder
         */
        public Builder tcpNoDelay(boolean on) {
            settings.socketOptions = settings.socketOptions.tcpNoDelay(on);
            return this;
        }

        /**
         * @param options of every connection, accepted or outbound; default
         *     {@link SocketOptions#defaults()}. Replaces a {@link #tcpNoDelay(boolean)} set before.
         * @return this builder
         */
        public Builder socketOptions(SocketOptions options) {
            settings.socketOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * @param timeout of {@link Connection#connect} from handlers, name resolution included
         *     (then it fails with a {@code SocketTimeoutException}); default 30 s; 0 for none
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder connectTimeout(Duration timeout) {
            settings.connectTimeout(timeout);
            return this;
        }

        /**
         * @param strategy what idle loops do; default {@link IdleStrategy#BLOCK}
         * @return this builder
         */
        public Builder idleStrategy(IdleStrategy strategy) {
            settings.idleStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * @param on give every loop its own listening socket with {@code SO_REUSEPORT} and let
         *     the kernel spread connections, instead of one accepting loop handing connections
         *     round-robin. Default: off. Has no effect with one loop or on a Unix socket.
         * @return this builder
         */
        public Builder reusePort(boolean on) {
            settings.reusePort = on;
            return this;
        }

        /**
         * @param timeout drain time used by {@link Server#close()}; default 10 s
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder shutdownTimeout(Duration timeout) {
            settings.shutdownTimeout(timeout);
            return this;
        }

        /**
         * What the peer's FIN does (Netty's {@code ALLOW_HALF_CLOSURE}). Off (default): after
         * {@link ConnectionHandler#onInputClosed} the connection sends what it is owed, deferred
         * replies included, then closes. On: the output stays open for the application, which
         * closes with {@link Connection#close()} when it is done.
         *
         * @param allow keep the output open after the peer's FIN
         * @return this builder
         */
        public Builder allowHalfClosure(boolean allow) {
            settings.allowHalfClosure = allow;
            return this;
        }

        /**
         * The memory bound for {@link DeferredReply deferred replies}: while this many are
         * outstanding on one connection, it is not read (the frames of the read in progress are
         * still handled, so the count may pass the cap by one read's worth of frames). Reading
         * resumes when half of them are done. Default {@value #DEFAULT_MAX_DEFERRED_REPLIES}.
         *
         * @param max outstanding deferred replies per connection before reading pauses, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is less than 1
         */
        public Builder maxDeferredReplies(int max) {
            settings.maxDeferredReplies(max);
            return this;
        }

        /**
         * The server-wide memory budget: bytes of partial frames (what a peer sent of a frame not
         * yet complete) plus queued output (replies a peer has not read yet), all connections
         * together, counted as allocated buffer capacity. Default: half of the JVM's direct-memory
         * limit ({@code -XX:MaxDirectMemorySize}, else the heap limit, as the JDK itself does;
         * see {@code docs/memory.md}), e.g. 32 MiB for {@code -Xmx64m}.
         *
         * <p>A partial frame over 4 KiB may use at most 3/4 of it, so a flood of large partial
         * frames leaves room for ordinary traffic. A connection whose partial frame would cross
         * it is shed: its handler's {@code onFramingError} gets a {@link ServerBusyException}
         * (by default it replies {@code ERR server busy}) and it closes with
         * {@link CloseReason#OVERLOADED}; connections that need no more memory are served as
         * before. Queued output is never dropped: over the budget, every connection with queued
         * output stops being read until its queue empties (as at the high watermark). Shed
         * connections are counted in the {@link ShutdownReport} and logged (one WARNING per 10 s
         * at most).
         *
         * @param bytes the budget, at least 64 KiB; 0 for the default
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is neither 0 nor at least 64 KiB
         */
        public Builder maxBufferedBytes(long bytes) {
            settings.maxBufferedBytes(bytes);
            return this;
        }

        /**
         * @param daemon make the loop threads daemon threads (they then do not keep the JVM
         *     alive); default false
         * @return this builder
         */
        public Builder daemonThreads(boolean daemon) {
            settings.daemon = daemon;
            return this;
        }

        /**
         * @param name prefix of the loop threads' names; default {@code pollwire-<n>}
         * @return this builder
         */
        public Builder name(String name) {
            settings.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Binds, starts the loops and returns the running server. On any failure nothing is
         * left behind: loops already started are stopped, pollers and listeners closed.
         *
         * @return the running server
         * @throws IllegalStateException when no {@link #handler(ConnectionHandler)} was set
         * @throws IllegalArgumentException when {@code readBufferSize} plus the framing's
         *     {@code maxFrameBytes} does not fit one buffer below 2 GiB
         * @throws UnsupportedOperationException when an explicitly chosen transport is
         *     unavailable (see {@link Transport#unavailabilityCause()})
         * @throws IOException when the address cannot be bound (e.g. already in use) or a
         *     poller cannot be created
         */
        public Server start() throws IOException {
            Transport resolved = settings.resolvedTransport();
            return new Server(resolved, settings.startLoops(resolved));
        }
    }
}
