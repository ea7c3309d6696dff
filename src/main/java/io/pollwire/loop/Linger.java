package io.pollwire.loop;

import io.pollwire.transport.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * When a connection that has sent its FIN may close without risking its replies. Closing a
 * socket whose peer still sends makes the kernel answer with RST, which can destroy replies not
 * yet delivered; so after our FIN the loop reads and discards input (it lingers). That protects
 * something only while our output is not yet acknowledged: once the kernel reports it all
 * acknowledged (Linux {@code ioctl(SIOCOUTQ)}, macOS {@code SO_NWRITE}; see
 * {@link NetSocket#unacknowledgedBytes()}) and the peer is not sending, the connection closes.
 * Where the kernel cannot tell (NIO), a short grace after our FIN stands in for the
 * acknowledgement. Either way the linger is also bounded by the close or drain timeout.
 */
final class Linger {
    /** Without a way to ask the kernel: how long after our FIN we assume the peer has it all. */
    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How often lingering connections are checked. */
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Linger() {}

    /**
     * @param finSentAt when our FIN was sent ({@link System#nanoTime()})
     * @param lastInputAt when the peer last sent something
     * @return true when closing now cannot cost the peer a reply
     */
    static boolean settled(NetSocket socket, long finSentAt, long lastInputAt, long now) {
        if (lastInputAt - finSentAt > 0 && now - lastInputAt < GRACE_NANOS) {
            return false; // the peer is still sending: our RST could overtake its read
        }
        long unacked = socket.unacknowledgedBytes();
        return unacked >= 0 ? unacked == 0 : now - finSentAt >= GRACE_NANOS;
    }
}
