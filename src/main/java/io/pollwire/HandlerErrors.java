// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.observe.Loggers;
import java.lang.System.Logger.Level;

/**
 * Default logging of handler exceptions ({@link ConnectionHandler#onError}): at most one
 * WARNING per second per event loop, with a count of what was not logged.
 *
 * <p>Per loop by confinement: callbacks run on their connection's loop thread, so the limiter
 * is kept per calling thread. A loop that sees a storm of errors cannot silence the others, and
 * no state is shared between threads (or between servers in one process).
 */
final class HandlerErrors {
    private static final System.Logger LOG = Loggers.HANDLER;
    static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final ThreadLocal<HandlerErrors> PER_THREAD = ThreadLocal.withInitial(HandlerErrors::new);

    private long lastLogNanos = System.nanoTime() - 2 * INTERVAL_NANOS;
    private long suppressed;

    private HandlerErrors() {}

    /**
     * Logs the error unless this thread logged one less than a second ago.
     *
     * @return true when logged, false when only counted
     */
    static boolean log(Connection connection, Throwable error) {
        return PER_THREAD.get().log(connection, error, System.nanoTime());
    }

    private boolean log(Connection connection, Throwable error, long now) {
        if (now - lastLogNanos < INTERVAL_NANOS) {
            suppressed++;
            return false;
        }
        lastLogNanos = now;
        long skipped = suppressed;
        suppressed = 0;
        LOG.log(Level.WARNING, "handler failed on connection " + connection.id() + " from "
                + connection.remoteAddress() + "; closing it"
                + (skipped > 0 ? " (" + skipped + " similar errors not logged)" : ""), error);
        return true;
    }
}
