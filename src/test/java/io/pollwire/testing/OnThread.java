// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a blocking task on its own daemon thread. Not {@code CompletableFuture.supplyAsync}: on a
 * 2-core machine the common pool has one thread, so fifty blocking readers would run one at a
 * time and the others would never read.
 */
public final class OnThread {
    private OnThread() {}

    public static <T> CompletableFuture<T> supply(String name, Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }
}
