// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Name resolution off the event loops: {@code InetAddress.getByName} blocks (DNS, /etc/hosts,
 * NSS), and a loop that blocks stalls every connection it serves. Two daemon threads, started on
 * demand and gone after a second without work, do it; like the JDK's resolver, the first
 * address of the host is used (Netty's default resolver does the same).
 */
final class Resolver {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(2, 2, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "pollwire-resolver-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    static {
        POOL.allowCoreThreadTimeOut(true);
    }

    private Resolver() {}

    /**
     * @param unresolved a host name and port
     * @param timeoutNanos fail with {@link UnknownHostException} after this long; 0 for never
     * @return completes, on a resolver thread, with the resolved address or the
     *     {@link UnknownHostException}
     */
    static CompletableFuture<InetSocketAddress> resolve(InetSocketAddress unresolved, long timeoutNanos) {
        CompletableFuture<InetSocketAddress> f = CompletableFuture.supplyAsync(() -> {
            try {
                return new InetSocketAddress(InetAddress.getByName(unresolved.getHostString()), unresolved.getPort());
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, POOL);
        if (timeoutNanos > 0) {
            f.completeOnTimeout(null, timeoutNanos, TimeUnit.NANOSECONDS);
            return f.thenCompose(a -> a != null ? CompletableFuture.completedFuture(a)
                    : CompletableFuture.failedFuture(new UnknownHostException(unresolved.getHostString()
                            + ": resolution timed out")));
        }
        return f;
    }
}
