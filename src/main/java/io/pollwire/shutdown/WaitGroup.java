// SPDX-License-Identifier: Apache-2.0
package io.pollwire.shutdown;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * Counts outstanding work, like Go's {@code sync.WaitGroup}, with a timed wait.
 *
 * <p>{@link #add} and {@link #done} may be called from any thread, concurrently. A waiter whose
 * timeout expires simply returns {@code false}: no helper thread is started, and the waiter's
 * queue node is unlinked by the synchronizer, so nothing is left behind. {@link #abort()}
 * releases every waiter at once (used by {@code shutdownNow()}).
 */
public final class WaitGroup {
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;
        volatile boolean aborted;

        @Override
        protected int tryAcquireShared(int ignored) {
            return aborted || getState() == 0 ? 1 : -1;
        }

        @Override
        protected boolean tryReleaseShared(int delta) {
            if (delta == 0) {
                return true; // abort(): wake everyone to re-check
            }
            while (true) {
                int c = getState();
                int next = c + delta;
                if (next < 0) {
                    throw new IllegalStateException("WaitGroup: done() called more often than add()");
                }
                if (compareAndSetState(c, next)) {
                    return next == 0;
                }
            }
        }

        int count() {
            return getState();
        }
    }

    private final Sync sync = new Sync();

    /**
     * Adds {@code n} to the count of outstanding work.
     *
     * @param n non-negative amount
     */
    public void add(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative add: " + n);
        }
        if (n > 0) {
            sync.releaseShared(n);
        }
    }

    /** Marks one unit of work finished; the waiters are released when the count reaches 0. */
    public void done() {
        sync.releaseShared(-1);
    }

    /**
     * Waits until the count is 0, {@link #abort()} is called, or the timeout passes.
     *
     * @return true when the count reached 0 (or was aborted), false on timeout
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return sync.tryAcquireSharedNanos(1, unit.toNanos(timeout));
    }

    /** Releases all current and future waiters, whatever the count. */
    public void abort() {
        sync.aborted = true;
        sync.releaseShared(0);
    }

    /** @return true after {@link #abort()} */
    public boolean isAborted() {
        return sync.aborted;
    }

    /** @return threads currently blocked in {@link #await} (for tests and diagnostics) */
    public int waiters() {
        return sync.getQueueLength();
    }

    /** @return the outstanding count */
    public int count() {
        return sync.count();
    }
}
