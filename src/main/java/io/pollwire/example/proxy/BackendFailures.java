// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.proxy;

import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Says why the proxy closes its clients when the backend cannot be reached: one WARNING, e.g.
 * {@code backend 127.0.0.1:7200 refused the connection (connect(/127.0.0.1:7200) failed:
 * Connection refused)}, then at most one every {@link #INTERVAL_NANOS} with the number of
 * failures since the last one, so a down backend under load does not flood the log (the
 * rate-limited warnings of nginx's {@code connect() failed} lines). Thread-safe: the clients of
 * every loop report here.
 */
final class BackendFailures {
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final System.Logger LOG = System.getLogger("io.pollwire.example.proxy");

    private final String backend;
    private final AtomicLong lastWarning = new AtomicLong();
    private final AtomicLong unreported = new AtomicLong();
    private volatile boolean warnedOnce;

    BackendFailures(SocketAddress backend) {
        this.backend = ProxyHandler.describe(backend);
    }

    /** A connect to the backend failed: warn now, or count it for the next warning. */
    void failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        unreported.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (warnedOnce && now - last < INTERVAL_NANOS || !lastWarning.compareAndSet(last, now)) {
            return; // reported with the next warning
        }
        warnedOnce = true;
        long before = unreported.getAndSet(0) - 1; // failures since the last warning, this one excluded
        LOG.log(Level.WARNING, "backend " + backend + " " + what(cause) + " (" + cause.getMessage() + ")"
                + (before > 0 ? "; " + before + " more failed connects since the last warning" : "")
                + "; closing the client");
    }

    private static String what(Throwable cause) {
        if (cause instanceof ConnectException) {
            return "refused the connection";
        } else if (cause instanceof SocketTimeoutException) {
            return "did not accept the connection in time";
        } else if (cause instanceof NoRouteToHostException) {
            return "is unreachable";
        } else if (cause instanceof UnknownHostException) {
            return "could not be resolved";
        }
        return "could not be reached: " + cause.getClass().getSimpleName();
    }
}
