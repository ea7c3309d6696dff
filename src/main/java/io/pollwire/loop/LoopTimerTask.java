// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import java.util.concurrent.CompletableFuture;

/**
 * A task of {@code Connection.schedule}: run once by the loop's timers unless cancelled first;
 * the future completes when it has run (exceptionally if it threw).
 */
final class LoopTimerTask extends CompletableFuture<Void> implements Runnable {
    private final Runnable task;

    LoopTimerTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void run() {
        if (isDone()) {
            return; // cancelled
        }
        try {
            task.run();
            complete(null);
        } catch (Throwable t) {
            completeExceptionally(t);
            if (t instanceof Error) {
                throw (Error) t;
            }
            LoopLog.LOG.log(System.Logger.Level.WARNING, "scheduled connection task failed", t);
        }
    }
}
