// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import java.time.Duration;
import java.util.Objects;

/**
 * Socket options applied to every connection of a server or client, inbound and outbound alike:
 * what Netty's {@code childOption}/{@code option} set. Immutable; each {@code with}-style method
 * returns a copy. Options that only TCP has ({@code TCP_NODELAY}, keep-alive) are skipped on
 * Unix domain sockets.
 *
 * <pre>{@code
 * SocketOptions opts = SocketOptions.defaults()
 *         .keepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 4)   // probe after 30 s idle
 *         .receiveBufferSize(256 * 1024)
 *         .linger(Duration.ZERO);                                        // close() sends RST
 * Server.builder().socketOptions(opts)...
 * }</pre>
 *
 * <p>Errors: an option the OS refuses (or does not have, e.g. keep-alive tuning on an OS without
 * {@code TCP_KEEPIDLE}) fails that connection's setup: an accepted connection is closed before
 * the handler sees it, a connect completes exceptionally with the {@code setsockopt} error.
 * See socket(7) and tcp(7) for what each option does.
 */
public final class SocketOptions {
    private static final SocketOptions DEFAULTS = new SocketOptions(true, false, 0, 0, 0, 0, 0, -1);

    private final boolean tcpNoDelay;
    private final boolean keepAlive;
    private final int keepIdleSeconds;
    private final int keepIntervalSeconds;
    private final int keepCount;
    private final int receiveBufferSize;
    private final int sendBufferSize;
    private final int lingerSeconds;

    private SocketOptions(boolean tcpNoDelay, boolean keepAlive, int keepIdleSeconds, int keepIntervalSeconds,
            int keepCount, int receiveBufferSize, int sendBufferSize, int lingerSeconds) {
        this.tcpNoDelay = tcpNoDelay;
        this.keepAlive = keepAlive;
        this.keepIdleSeconds = keepIdleSeconds;
        this.keepIntervalSeconds = keepIntervalSeconds;
        this.keepCount = keepCount;
        this.receiveBufferSize = receiveBufferSize;
        this.sendBufferSize = sendBufferSize;
        this.lingerSeconds = lingerSeconds;
    }

    /**
     * @return {@code TCP_NODELAY} on, keep-alive off, the system's buffer sizes, no
     *     {@code SO_LINGER}
     */
    public static SocketOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param on {@code TCP_NODELAY}: disable Nagle's algorithm; default true
     * @return a copy with this option changed
     */
    public SocketOptions tcpNoDelay(boolean on) {
        return new SocketOptions(on, keepAlive, keepIdleSeconds, keepIntervalSeconds, keepCount,
                receiveBufferSize, sendBufferSize, lingerSeconds);
    }

    /**
     * @param on {@code SO_KEEPALIVE} with the system's timings; default false
     * @return a copy with keep-alive changed and any timings set before cleared
     */
    public SocketOptions keepAlive(boolean on) {
        return new SocketOptions(tcpNoDelay, on, 0, 0, 0, receiveBufferSize, sendBufferSize, lingerSeconds);
    }

    /**
     * {@code SO_KEEPALIVE} with {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTVL} and
     * {@code TCP_KEEPCNT} (whole seconds, at least 1).
     *
     * @param idle quiet time before the first probe
     * @param interval time between unanswered probes
     * @param count unanswered probes before the connection is dropped (1..127)
     * @return a copy with keep-alive on and these timings
     * @throws NullPointerException if {@code idle} or {@code interval} is null
     * @throws IllegalArgumentException if a duration is outside 1..32767 s (fractions of a
     *     second are dropped) or {@code count} outside 1..127
     */
    public SocketOptions keepAlive(Duration idle, Duration interval, int count) {
        if (count < 1 || count > 127) {
            throw new IllegalArgumentException("keep-alive count must be in 1..127: " + count);
        }
        return new SocketOptions(tcpNoDelay, true, seconds(idle, "idle"), seconds(interval, "interval"), count,
                receiveBufferSize, sendBufferSize, lingerSeconds);
    }

    /**
     * @param bytes {@code SO_RCVBUF}; 0 (default) leaves the system's (auto-tuned) size. Linux
     *     doubles what is asked for and caps it at {@code net.core.rmem_max} (socket(7)).
     * @return a copy with this option changed
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public SocketOptions receiveBufferSize(int bytes) {
        return new SocketOptions(tcpNoDelay, keepAlive, keepIdleSeconds, keepIntervalSeconds, keepCount,
                size(bytes), sendBufferSize, lingerSeconds);
    }

    /**
     * @param bytes {@code SO_SNDBUF}; 0 (default) leaves the system's (auto-tuned) size. Linux
     *     doubles what is asked for and caps it at {@code net.core.wmem_max} (socket(7)).
     * @return a copy with this option changed
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public SocketOptions sendBufferSize(int bytes) {
        return new SocketOptions(tcpNoDelay, keepAlive, keepIdleSeconds, keepIntervalSeconds, keepCount,
                receiveBufferSize, size(bytes), lingerSeconds);
    }

    /**
     * {@code SO_LINGER}. pollwire never closes a socket with unsent output it still owes (it
     * flushes and sends FIN first), so this matters for what the kernel holds at close: zero makes
     * a close send RST at once, as a proxy passing on a reset wants.
     *
     * @param timeout whole seconds (a fraction is dropped, longer than 65535 s is capped);
     *     null (default) turns lingering off
     * @return a copy with this option changed
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public SocketOptions linger(Duration timeout) {
        int s = timeout == null ? -1 : (int) Math.min(65535, timeout.getSeconds());
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative linger: " + timeout);
        }
        return new SocketOptions(tcpNoDelay, keepAlive, keepIdleSeconds, keepIntervalSeconds, keepCount,
                receiveBufferSize, sendBufferSize, s);
    }

    private static int seconds(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.getSeconds() < 1 || d.getSeconds() > 32767) {
            throw new IllegalArgumentException("keep-alive " + what + " must be 1..32767 s: " + d);
        }
        return (int) d.getSeconds();
    }

    private static int size(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative buffer size: " + bytes);
        }
        return bytes;
    }

    /** @return whether {@code TCP_NODELAY} is set */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** @return whether {@code SO_KEEPALIVE} is set */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** @return {@code TCP_KEEPIDLE} in seconds, 0 for the system's */
    public int keepIdleSeconds() {
        return keepIdleSeconds;
    }

    /** @return {@code TCP_KEEPINTVL} in seconds, 0 for the system's */
    public int keepIntervalSeconds() {
        return keepIntervalSeconds;
    }

    /** @return {@code TCP_KEEPCNT}, 0 for the system's */
    public int keepCount() {
        return keepCount;
    }

    /** @return {@code SO_RCVBUF} in bytes, 0 for the system's */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** @return {@code SO_SNDBUF} in bytes, 0 for the system's */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** @return {@code SO_LINGER} in seconds, -1 when off */
    public int lingerSeconds() {
        return lingerSeconds;
    }

    @Override
    public String toString() {
        return "SocketOptions[tcpNoDelay=" + tcpNoDelay + ", keepAlive=" + keepAlive
                + (keepIdleSeconds > 0 ? " " + keepIdleSeconds + "/" + keepIntervalSeconds + "/" + keepCount : "")
                + ", rcvbuf=" + receiveBufferSize + ", sndbuf=" + sendBufferSize + ", linger=" + lingerSeconds + "]";
    }
}
