// SPDX-License-Identifier: Apache-2.0
package io.pollwire.shutdown;

import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One event loop as the {@link ShutdownCoordinator} sees it: the steps of a drain, each run on
 * the loop's own thread, and the loop's end. The coordinator knows nothing else of loops, so it
 * can be driven (and tested) without sockets or pollers.
 *
 * <p>Each {@code ...Async} method hands its step to the loop and returns at once; it returns
 * false when the loop has already ended, in which case the step and its callback do not run.
 */
public interface ShutdownTarget {
    /** Phase 1: close the listeners, then run {@code done} (on the loop thread). */
    boolean closeListenersAsync(Runnable done);

    /**
     * Phases 2 and 3: every connection stops handling input and drains; {@code hook} hears of
     * each connection entering and leaving the drain; {@code started} runs once all have entered.
     */
    boolean drainAsync(ShutdownHook hook, Runnable started);

    /** Phase 4: force-close what is still open and pass how many to {@code forced}. */
    boolean forceCloseAsync(IntConsumer forced);

    /** Phase 5: ask the loop to end (it closes whatever it still holds). Any thread. */
    void requestStop();

    /**
     * Waits for the loop's thread to end.
     *
     * @return true if it ended within the timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

    /** @return the unexpected error the loop died of, or null */
    Throwable failure();
}
