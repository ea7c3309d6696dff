package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One connection between our FIN and its close. Closing a socket whose peer still sends makes
 * the kernel answer with RST, which can destroy replies not yet delivered; so after our FIN the
 * loop reads and discards input (it lingers). That protects something only while our output is
 * not yet acknowledged: once the kernel reports it all acknowledged (Linux
 * {@code ioctl(SIOCOUTQ)}, macOS {@code SO_NWRITE}; see
 * {@link io.pollwire.transport.NetSocket#unacknowledgedBytes()}) and the peer is not sending,
 * the connection closes. Where the kernel cannot tell (NIO), a short grace after our FIN stands
 * in for the acknowledgement. The peer's FIN or a reset ends it too; the close timeout (or the
 * drain's) bounds it. Loop thread only.
 */
final class Linger {
    /** Without a way to ask the kernel: how long after our FIN we assume the peer has it all. */
    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How often lingering connections are checked by the loop's sweep. */
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final LoopConnection c;
    private boolean active;
    private long finSentAt;
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
        lastInputAt = finSentAt; // no input since our FIN yet
        active = true;
        c.loop.timers.lingerStarted();
        check(finSentAt);
    }

    /** Closes the connection once the peer has everything and is not sending. */
    void check(long now) {
        if (active && settled(now)) {
            c.finishClose(null);
        }
    }

    private boolean settled(long now) {
        if (lastInputAt - finSentAt > 0 && now - lastInputAt < GRACE_NANOS) {
            return false; // the peer is still sending: our RST could overtake its read
        }
        long unacked = c.socket.unacknowledgedBytes();
        return unacked >= 0 ? unacked == 0 : now - finSentAt >= GRACE_NANOS;
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
                lastInputAt = c.loop.now;
                c.touch();
            }
        } catch (IOException e) {
            // the peer reset instead of closing: the close is over, with the reason we had
            c.finishClose(e);
        }
    }
}
