// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One connection between our FIN and its close. Closing a socket whose peer still sends makes
 * the kernel answer with RST, which can destroy replies not yet delivered or turn the peer's
 * clean end of stream into a reset; so after our FIN the loop reads and discards input (it
 * lingers). That protects something only while our output is not yet acknowledged or the peer
 * is still sending: once the kernel reports our output, FIN included, acknowledged (Linux
 * {@code ioctl(SIOCOUTQ)}, macOS {@code SO_NWRITE}; see
 * {@link io.pollwire.transport.NetSocket#unacknowledgedBytes()}) and the peer has sent nothing
 * since our FIN (what it sent before is read and dropped first, so no unread byte is left to
 * provoke a reset), the connection closes at once: that is the idle client of a connection pool.
 * A peer that did send after our FIN (a request racing the drain, a client still streaming) is
 * given its FIN until it has been quiet for {@link #QUIET_NANOS}. Where the kernel cannot tell
 * (NIO), a short grace after our FIN stands in for the acknowledgement. The close or drain
 * timeout bounds it all. Loop thread only.
 */
final class Linger {
    /** Without a way to ask the kernel: how long after our FIN we assume the peer has it all. */
    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A peer that sent after our FIN is "not sending" once quiet for this long. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How often lingering connections are checked by the loop's sweep just after a FIN... */
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** ...for this long after the last one... */
    static final long FAST_CHECKS_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** ...then this often. */
    static final long SLOW_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LoopConnection c;
    private boolean active;
    private long finSentAt;
    /** The peer sent something after our FIN; when it last did. */
    private boolean inputSinceFin;
    private long lastInputAt;
    /** Bytes read and thrown away after our FIN. */
    long discardedBytes;

    Linger(LoopConnection c) {
        this.c = c;
    }

    /** @return true between our FIN and the close */
    boolean isActive() {
        return active;
    }

    /** Our FIN went out (the peer's has not come): linger, and close as soon as it is settled. */
    void start() {
        finSentAt = System.nanoTime();
        inputSinceFin = false;
        active = true;
        c.loop.timers.lingerStarted();
        check(finSentAt);
    }

    /** Closes the connection once the peer has everything and is not sending. */
    void check(long now) {
        if (!active) {
            return;
        }
        discardInput(); // what is pending now counts as sending, and no unread byte may remain
        if (!active || inputSinceFin && now - lastInputAt < QUIET_NANOS) {
            return; // closed by the peer's FIN or a reset, or the peer is sending
        }
        long unacked = c.socket.unacknowledgedBytes();
        if (unacked >= 0 ? unacked == 0 : now - finSentAt >= GRACE_NANOS) {
            c.finishClose(null);
        }
    }

    /** The connection closed. */
    void end() {
        if (active) {
            active = false;
            c.loop.timers.lingerEnded();
        }
    }

    /** After our FIN: read and drop whatever the peer still sends, until its FIN. */
    void discardInput() {
        IoBuffer in = c.loop.in;
        try {
            for (int i = 0; i < 16; i++) {
                int n = c.socket.read(in, 0, in.capacity());
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    c.input.markEnded();
                    c.finishClose(null);
                    return;
                }
                discardedBytes += n;
                c.loop.stats.add(LoopStats.BYTES_READ, n);
                inputSinceFin = true;
                lastInputAt = System.nanoTime();
                c.touch();
            }
        } catch (IOException e) {
            // the peer reset instead of closing: the close is over, with the reason we had
            c.finishClose(e);
        }
    }
}
