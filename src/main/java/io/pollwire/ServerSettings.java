// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.codec.Framing;
import io.pollwire.loop.LoopConfig;
import io.pollwire.loop.LoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a {@link Server.Builder} (and, through it, a {@link Client.Builder}) has been told: each
 * setting with its default, the range checks of the numeric ones (the message names the
 * setting), and their assembly into the loops' {@link LoopConfig} at start. The builder keeps
 * the public methods and their documentation; this keeps the values.
 */
final class ServerSettings {
    private static final AtomicInteger SERVER_IDS = new AtomicInteger();

    Transport transport = Transport.AUTO;
    SocketAddress address = new InetSocketAddress(0);
    int loops = Runtime.getRuntime().availableProcessors();
    Framing framing = Framing.lines();
    ConnectionHandler handler;
    int backlog = 1024;
    int readBufferSize = 64 * 1024;
    long lowWatermark = 128 * 1024;
    long highWatermark = 512 * 1024;
    Duration idleTimeout = Duration.ZERO;
    int maxConnections;
    SocketOptions socketOptions = SocketOptions.defaults();
    Duration connectTimeout = Client.DEFAULT_CONNECT_TIMEOUT;
    IdleStrategy idleStrategy = IdleStrategy.BLOCK;
    Boolean reusePort;
    Duration shutdownTimeout = Duration.ofSeconds(10);
    boolean daemon;
    /** Thread-name prefix asked for, or null for the default. */
    String name;
    boolean allowHalfClosure;
    int maxDeferredReplies = Server.Builder.DEFAULT_MAX_DEFERRED_REPLIES;
    long maxBufferedBytes; // 0 = half the JVM's direct-memory limit

    void address(String host, int port) {
        try {
            address(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "': " + e.getMessage(), e);
        }
    }

    void address(SocketAddress address) {
        if (address instanceof InetSocketAddress && ((InetSocketAddress) address).isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("not an Inet or Unix domain socket address: " + address);
        }
        this.address = address;
    }

    void loops(int loops) {
        if (loops < 1 || loops > 1024) {
            throw new IllegalArgumentException("loops must be in 1..1024: " + loops);
        }
        this.loops = loops;
    }

    void backlog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        this.backlog = backlog;
    }

    void readBufferSize(int bytes) {
        if (bytes < 256 || bytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("readBufferSize must be in 256..64 MiB: " + bytes);
        }
        this.readBufferSize = bytes;
    }

    void writeBufferWaterMarks(long low, long high) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need 0 <= low <= high: " + low + ", " + high);
        }
        this.lowWatermark = low;
        this.highWatermark = high;
    }

    void idleTimeout(Duration timeout) {
        this.idleTimeout = notNegative(timeout, "idle");
    }

    void maxConnections(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("negative maxConnections: " + max);
        }
        this.maxConnections = max;
    }

    void connectTimeout(Duration timeout) {
        this.connectTimeout = notNegative(timeout, "connect");
    }

    void shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = notNegative(timeout, "shutdown");
    }

    private static Duration notNegative(Duration timeout, String which) {
        if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
            throw new IllegalArgumentException("negative " + which + " timeout: " + timeout);
        }
        return timeout;
    }

    void maxDeferredReplies(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxDeferredReplies must be positive: " + max);
        }
        this.maxDeferredReplies = max;
    }

    void maxBufferedBytes(long bytes) {
        if (bytes != 0 && bytes < 64 * 1024) {
            throw new IllegalArgumentException("maxBufferedBytes must be 0 (default) or at least 64 KiB: " + bytes);
        }
        this.maxBufferedBytes = bytes;
    }

    /** Binds and starts a server's loops: see {@link Server.Builder#start()}. */
    LoopGroup startLoops(Transport resolved) throws IOException {
        String threadName = name != null ? name : "pollwire-" + SERVER_IDS.incrementAndGet();
        boolean perLoopListener = reusePort != null && reusePort && loops > 1 && address instanceof InetSocketAddress;
        return LoopGroup.start(resolved, loops, address, backlog, loopConfig(threadName, perLoopListener), shutdownTimeout);
    }

    /** Checks the settings (shared with {@link Client}): a handler, a buffer that fits. */
    Transport resolvedTransport() {
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
        return resolved;
    }

    /** @return the loops' settings; {@link Client} builds its own loops from them too */
    LoopConfig loopConfig(String threadName, boolean perLoopListener) {
        return new LoopConfig(framing, handler, readBufferSize, highWatermark, lowWatermark,
                idleTimeout.toNanos(), maxConnections, socketOptions, idleStrategy, threadName, daemon,
                perLoopListener, allowHalfClosure, maxDeferredReplies, maxBufferedBytes, connectTimeout.toNanos());
    }
}
