package io.pollwire;

import io.pollwire.codec.Framing;
import io.pollwire.loop.LoopConfig;
import io.pollwire.loop.LoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running TCP server: event loops serving the connections of one listening address.
 *
 * <pre>{@code
 * try (Server server = Server.builder()
 *         .bind("127.0.0.1", 7000)
 *         .framing(Framing.lines(64 * 1024))
 *         .handler((conn, line) -> conn.echo())
 *         .start()) {
 *     System.out.println("listening on " + server.localAddress() + " via " + server.transport());
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
    private static final AtomicInteger SERVER_IDS = new AtomicInteger();

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

    /** @return the bound address, with the real port when port 0 was asked for */
    public InetSocketAddress localAddress() {
        return loops.localAddress();
    }

    /** @return the transport in use (never {@link Transport#AUTO}) */
    public Transport transport() {
        return transport;
    }

    /** @return the number of event loops */
    public int loopCount() {
        return loops.size();
    }

    /** @return connections currently open */
    public int openConnections() {
        return loops.openConnections();
    }

    /** @return connections accepted since start */
    public long acceptedConnections() {
        return loops.acceptedConnections();
    }

    /** @return connections refused because of {@link Builder#maxConnections(int)} */
    public long rejectedConnections() {
        return loops.rejectedConnections();
    }

    /**
     * @return bytes now held for partial frames and queued output, all connections together
     *     (buffer capacity, see {@link Builder#maxBufferedBytes(long)})
     */
    public long bufferedBytes() {
        return loops.bufferedBytes();
    }

    /** @return connections closed with {@link CloseReason#OVERLOADED} to stay within the budget */
    public long shedConnections() {
        return loops.shedConnections();
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

    /** Configures and starts a {@link Server}. Every setting has a sensible default. */
    public static final class Builder {
        /** Default of {@link #maxDeferredReplies(int)}. */
        public static final int DEFAULT_MAX_DEFERRED_REPLIES = 1024;

        private Transport transport = Transport.AUTO;
        private InetSocketAddress address = new InetSocketAddress(0);
        private int loops = Runtime.getRuntime().availableProcessors();
        private Framing framing = Framing.lines();
        private ConnectionHandler handler;
        private int backlog = 1024;
        private int readBufferSize = 64 * 1024;
        private long lowWatermark = 128 * 1024;
        private long highWatermark = 512 * 1024;
        private Duration idleTimeout = Duration.ZERO;
        private int maxConnections;
        private boolean tcpNoDelay = true;
        private IdleStrategy idleStrategy = IdleStrategy.BLOCK;
        private Boolean reusePort;
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private boolean daemon;
        private String name;
        private boolean allowHalfClosure;
        private int maxDeferredReplies = DEFAULT_MAX_DEFERRED_REPLIES;
        private long maxBufferedBytes; // 0 = half the JVM's direct-memory limit

        private Builder() {}

        /** @param transport which I/O mechanism; default {@link Transport#AUTO} */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * @param host a host name or address literal; {@code "0.0.0.0"} or {@code "::"} for all
         * @param port 0 for an ephemeral port (see {@link Server#localAddress()})
         */
        public Builder bind(String host, int port) {
            try {
                return bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot resolve host '" + host + "': " + e.getMessage(), e);
            }
        }

        /** @param address where to listen; default all IPv4/IPv6 addresses, ephemeral port */
        public Builder bind(InetSocketAddress address) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address: " + address);
            }
            this.address = address;
            return this;
        }

        /** @param loops number of event loop threads; default: available processors */
        public Builder loops(int loops) {
            if (loops < 1 || loops > 1024) {
                throw new IllegalArgumentException("loops must be in 1..1024: " + loops);
            }
            this.loops = loops;
            return this;
        }

        /** @param framing how to cut input into frames; default {@link Framing#lines()} */
        public Builder framing(Framing framing) {
            this.framing = Objects.requireNonNull(framing, "framing");
            return this;
        }

        /** @param handler the application callbacks (required) */
        public Builder handler(ConnectionHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** @param backlog the listen queue length; default 1024 */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be positive: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** @param bytes how much one read asks the kernel for; default 64 KiB */
        public Builder readBufferSize(int bytes) {
            if (bytes < 256 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("readBufferSize must be in 256..64 MiB: " + bytes);
            }
            this.readBufferSize = bytes;
            return this;
        }

        /**
         * Backpressure: a connection whose queued output passes {@code high} bytes stops being
         * read until the queue falls to {@code low}. Defaults 128 KiB / 512 KiB.
         */
        public Builder writeBufferWaterMarks(long low, long high) {
            if (low < 0 || high < low) {
                throw new IllegalArgumentException("need 0 <= low <= high: " + low + ", " + high);
            }
            this.lowWatermark = low;
            this.highWatermark = high;
            return this;
        }

        /** @param timeout close connections with no traffic for this long; default none (0) */
        public Builder idleTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("negative idle timeout: " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * @param max connections open at once, over all loops; 0 = no limit (the default). Over
         *     it, a new connection is closed as soon as it is accepted, before any callback (the
         *     handler never sees it), and counted in {@link Server#rejectedConnections()}.
         */
        public Builder maxConnections(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("negative maxConnections: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /** @param on disable Nagle's algorithm on accepted sockets; default true */
        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        /** @param strategy what idle loops do; default {@link IdleStrategy#BLOCK} */
        public Builder idleStrategy(IdleStrategy strategy) {
            this.idleStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * @param on give every loop its own listening socket with {@code SO_REUSEPORT} and let
         *     the kernel spread connections, instead of one accepting loop handing connections
         *     round-robin. Default: off.
         */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /** @param timeout drain time used by {@link Server#close()}; default 10 s */
        public Builder shutdownTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
                throw new IllegalArgumentException("negative shutdown timeout: " + timeout);
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * What the peer's FIN does (Netty's {@code ALLOW_HALF_CLOSURE}). Off (default): after
         * {@link ConnectionHandler#onInputClosed} the connection sends what it is owed, deferred
         * replies included, then closes. On: the output stays open for the application, which
         * closes with {@link Connection#close()} when it is done.
         *
         * @param allow keep the output open after the peer's FIN
         */
        public Builder allowHalfClosure(boolean allow) {
            this.allowHalfClosure = allow;
            return this;
        }

        /**
         * The memory bound for {@link DeferredReply deferred replies}: while this many are
         * outstanding on one connection, it is not read (the frames of the read in progress are
         * still handled, so the count may pass the cap by one read's worth of frames). Reading
         * resumes when half of them are done. Default {@value #DEFAULT_MAX_DEFERRED_REPLIES}.
         *
         * @param max outstanding deferred replies per connection before reading pauses, at least 1
         */
        public Builder maxDeferredReplies(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxDeferredReplies must be positive: " + max);
            }
            this.maxDeferredReplies = max;
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
         */
        public Builder maxBufferedBytes(long bytes) {
            if (bytes != 0 && bytes < 64 * 1024) {
                throw new IllegalArgumentException("maxBufferedBytes must be 0 (default) or at least 64 KiB: " + bytes);
            }
            this.maxBufferedBytes = bytes;
            return this;
        }

        /** @param daemon make the loop threads daemon threads; default false */
        public Builder daemonThreads(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** @param name prefix of the thread names; default {@code pollwire-<n>} */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
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
            if (handler == null) {
                throw new IllegalStateException("handler(...) is required");
            }
            Transport resolved = transport.resolve();
            resolved.ensureAvailable();
            long inputCapacity = (long) readBufferSize + framing.maxFrameBytes();
            if (inputCapacity > Integer.MAX_VALUE - 1024) {
                throw new IllegalArgumentException("readBufferSize (" + readBufferSize + ") + the framing's maxFrameBytes ("
                        + framing.maxFrameBytes() + ") must fit one buffer below 2 GiB");
            }
            String threadName = name != null ? name : "pollwire-" + SERVER_IDS.incrementAndGet();
            boolean perLoopListener = reusePort != null && reusePort && loops > 1;
            LoopConfig config = new LoopConfig(framing, handler, readBufferSize, highWatermark, lowWatermark,
                    idleTimeout.toNanos(), maxConnections, tcpNoDelay, idleStrategy, threadName, daemon,
                    perLoopListener, allowHalfClosure, maxDeferredReplies, maxBufferedBytes);
            LoopGroup group = LoopGroup.start(resolved, loops, address, backlog, config, shutdownTimeout);
            return new Server(resolved, group);
        }
    }
}
