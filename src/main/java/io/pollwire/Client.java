// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.codec.Framing;
import io.pollwire.loop.LoopConfig;
import io.pollwire.loop.LoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Outbound connections on pollwire's event loops: its own loops, or those of a {@link Server}
 * ({@link Builder#shareLoopsOf}). Netty's {@code Bootstrap} and Vert.x's {@code NetClient} are the
 * models. The connections are the same {@link Connection}s with the same {@link ConnectionHandler}
 * as a server's: framing, watermarks, idle timeout, socket options, and a graceful drain in
 * {@link #shutdown(Duration)} with a {@link ShutdownReport}.
 *
 * <pre>{@code
 * try (Client client = Client.builder()
 *         .framing(Framing.lines())
 *         .handler((conn, line) -> System.out.println(StandardCharsets.UTF_8.decode(line)))
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .build()) {
 *     Connection c = client.connect("localhost", 7000).get();
 *     c.write("hello\n".getBytes(StandardCharsets.UTF_8));
 * }
 * }</pre>
 *
 * <p>From inside a server's handler, {@link Connection#connect} opens the connection on the
 * handler's own loop instead. Thread-safe.
 */
public final class Client implements AutoCloseable {
    /** The connect timeout when none is set: 30 s, as Netty's {@code CONNECT_TIMEOUT_MILLIS}. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private final Transport transport;
    private final LoopGroup loops;
    private final boolean ownsLoops;
    private final Framing framing;
    private final ConnectionHandler handler;
    private final SocketOptions options;
    private final long connectTimeoutNanos;

    private Client(Transport transport, LoopGroup loops, boolean ownsLoops, LoopConfig config) {
        this.transport = transport;
        this.loops = loops;
        this.ownsLoops = ownsLoops;
        this.framing = config.framing();
        this.handler = config.handler();
        this.options = config.socketOptions();
        this.connectTimeoutNanos = config.connectTimeoutNanos();
    }

    /** @return a builder with the defaults described on each of its methods */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects without blocking, on the next loop (round-robin).
     *
     * @param address an {@code InetSocketAddress} (an unresolved one is resolved on a resolver
     *     thread, never on a loop) or a {@code UnixDomainSocketAddress}
     * @return completes on the connection's loop thread once it is open (after
     *     {@link ConnectionHandler#onOpen}); fails as {@link Connection#connect} describes.
     *     Do not block in its continuations: they run on the loop.
     */
    public CompletableFuture<Connection> connect(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        return loops.connect(address, framing, handler, options, connectTimeoutNanos);
    }

    /**
     * @param host a name (resolved off the loops) or an address literal
     * @param port the TCP port
     * @return see {@link #connect(SocketAddress)}
     */
    public CompletableFuture<Connection> connect(String host, int port) {
        return connect(InetSocketAddress.createUnresolved(host, port));
    }

    /** @return the transport in use (never {@link Transport#AUTO}) */
    public Transport transport() {
        return transport;
    }

    /** @return connections open on these loops (a shared server's included) */
    public int openConnections() {
        return loops.openConnections();
    }

    /**
     * @return the counters of the loops this client runs on, as {@link Server#stats()}: its own
     *     loops' (its connections only), or with {@link Builder#shareLoopsOf} the server's (its
     *     connections and the server's together); a snapshot, taken on any thread
     */
    public ServerStats stats() {
        return ServerStats.of(loops);
    }

    /**
     * Drains the client's own loops as {@link Server#shutdown(Duration)} drains a server's: each
     * connection sends what it owes, then FIN. With shared loops it does nothing: the server's
     * shutdown drains them.
     *
     * @param drainTimeout how long connections may take to drain before they are forced
     * @return completes with the report once the loops have stopped (null with shared loops)
     */
    public CompletableFuture<ShutdownReport> shutdown(Duration drainTimeout) {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        return ownsLoops ? loops.shutdown(drainTimeout) : CompletableFuture.completedFuture(null);
    }

    /** Graceful shutdown with the configured timeout; only starts it when called on a loop. */
    @Override
    public void close() {
        if (ownsLoops) {
            loops.close(); // LoopGroup.close: waits unless called on one of the loops
        }
    }

    @Override
    public String toString() {
        return "Client[" + transport + ", " + loops.size() + " loops" + (ownsLoops ? "" : ", shared") + "]";
    }

    /**
     * Configures a {@link Client}. Every setting has a sensible default except the handler; the
     * settings a server also has mean what they mean on {@link Server.Builder}, and are checked
     * as there: at once, with the same exceptions and messages. Not thread-safe: configure it on
     * one thread.
     */
    public static final class Builder {
        private final Server.Builder settings = Server.builder().loops(1);
        private Server shared;

        private Builder() {}

        /**
         * @param transport which I/O mechanism for its own loops; default {@link Transport#AUTO}
         * @return this builder
         */
        public Builder transport(Transport transport) {
            settings.transport(transport);
            return this;
        }

        /**
         * @param loops number of its own event loop threads, 1..1024; default 1
         * @return this builder
         * @throws IllegalArgumentException if {@code loops} is outside 1..1024
         */
        public Builder loops(int loops) {
            settings.loops(loops);
            return this;
        }

        /**
         * Runs the connections on {@code server}'s loops (and transport, buffers, watermarks and
         * idle timeout) instead of loops of its own; they drain with the server's shutdown.
         *
         * @param server the running server whose loops and settings the connections use
         * @return this builder
         * @throws NullPointerException if {@code server} is null
         */
        public Builder shareLoopsOf(Server server) {
            this.shared = Objects.requireNonNull(server, "server");
            return this;
        }

        /**
         * @param framing how input is cut into frames; default {@link Framing#lines()}
         * @return this builder
         */
        public Builder framing(Framing framing) {
            settings.framing(framing);
            return this;
        }

        /**
         * @param handler the callbacks of every connection this client makes (required), called
         *     on the loop threads
         * @return this builder
         */
        public Builder handler(ConnectionHandler handler) {
            settings.handler(handler);
            return this;
        }

        /**
         * @param options socket options, set before the connect; default {@link SocketOptions#defaults()}
         * @return this builder
         */
        public Builder socketOptions(SocketOptions options) {
            settings.socketOptions(options);
            return this;
        }

        /**
         * @param timeout a connect (name resolution included) fails after this with a
         *     {@code SocketTimeoutException}; default 30 s; 0 none
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder connectTimeout(Duration timeout) {
            settings.connectTimeout(timeout);
            return this;
        }

        /**
         * See {@link Server.Builder#writeBufferWaterMarks}; own loops only.
         *
         * @param low bytes of queued output at which reading resumes
         * @param high bytes of queued output above which reading pauses
         * @return this builder
         * @throws IllegalArgumentException unless {@code 0 <= low <= high}
         */
        public Builder writeBufferWaterMarks(long low, long high) {
            settings.writeBufferWaterMarks(low, high);
            return this;
        }

        /**
         * See {@link Server.Builder#allowHalfClosure}; own loops only (shared ones follow the server).
         *
         * @param allow keep the output open after the peer's FIN
         * @return this builder
         */
        public Builder allowHalfClosure(boolean allow) {
            settings.allowHalfClosure(allow);
            return this;
        }

        /**
         * @param timeout close connections quiet this long; default none (0); own loops only
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder idleTimeout(Duration timeout) {
            settings.idleTimeout(timeout);
            return this;
        }

        /**
         * @param timeout drain time of {@link Client#close()}; default 10 s
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder shutdownTimeout(Duration timeout) {
            settings.shutdownTimeout(timeout);
            return this;
        }

        /**
         * @param daemon make its own loop threads daemon threads; default false
         * @return this builder
         */
        public Builder daemonThreads(boolean daemon) {
            settings.daemonThreads(daemon);
            return this;
        }

        /**
         * @param name prefix of its own loop threads' names; default {@code pollwire-client-<n>}
         * @return this builder
         */
        public Builder name(String name) {
            settings.name(name);
            return this;
        }

        /**
         * Starts the client's loops (none with {@link #shareLoopsOf}).
         *
         * @return the client, ready to {@link Client#connect connect}
         * @throws IllegalStateException when no {@link #handler(ConnectionHandler)} was set
         * @throws IOException when a poller cannot be created
         * @throws UnsupportedOperationException when an explicitly chosen transport is unavailable
         */
        public Client build() throws IOException {
            ServerSettings values = settings.settings;
            Transport resolved = values.resolvedTransport();
            String threadName = values.name != null ? values.name
                    : "pollwire-client-" + CLIENT_IDS.incrementAndGet();
            LoopConfig config = values.loopConfig(threadName, false);
            if (shared != null) {
                return new Client(shared.transport(), shared.loops(), false, config);
            }
            LoopGroup group = LoopGroup.start(resolved, values.loops, null, 0, config, values.shutdownTimeout);
            return new Client(resolved, group, true, config);
        }
    }
}
