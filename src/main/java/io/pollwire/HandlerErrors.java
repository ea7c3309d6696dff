package io.pollwire;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/** Default logging of handler exceptions: at most one WARNING per second, with a count. */
final class HandlerErrors {
    private static final System.Logger LOG = System.getLogger("io.pollwire");
    private static final AtomicLong LAST_LOG_NANOS = new AtomicLong(System.nanoTime() - 2_000_000_000L);
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    private HandlerErrors() {}

    static void log(Connection connection, Throwable error) {
        long now = System.nanoTime();
        long last = LAST_LOG_NANOS.get();
        if (now - last >= 1_000_000_000L && LAST_LOG_NANOS.compareAndSet(last, now)) {
            long skipped = SUPPRESSED.getAndSet(0);
            LOG.log(Level.WARNING, "handler failed on connection " + connection.id() + " from "
                    + connection.remoteAddress() + "; closing it"
                    + (skipped > 0 ? " (" + skipped + " similar errors not logged)" : ""), error);
        } else {
            SUPPRESSED.incrementAndGet();
        }
    }
}
