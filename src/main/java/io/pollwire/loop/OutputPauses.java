// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * When a connection's output stops its input, and when it is writable: the watermarks (over
 * the high one, unwritable until back at the low one; Netty's {@code WriteBufferWaterMark}),
 * the deferred-reply cap (paused at the cap, resumed at half), the server's
 * {@link MemoryBudget} (any queued output pauses reading while the server is over it) and the
 * application's {@code pauseReading()}. Loop thread only, except {@link #isWritable()} and
 * {@link #markUnwritable()}.
 *
 * <p>{@link ConnectionOutput} extends this instead of holding one, so the decisions it makes
 * after every read read these fields without one more hop.
 */
abstract class OutputPauses {
    private final long highWatermark;
    private final long lowWatermark;
    private final int maxDeferred;
    private final MemoryBudget budget;
    /**
     * Writability as a counter: even = writable, odd = not. The loop flips it both ways at the
     * watermarks; a writer on another thread may flip it to odd when its write crosses the high
     * one. Every flip is a new value, so the loop notices (and calls the handler) even when a
     * pair of flips happened between two looks.
     */
    private final AtomicInteger writability = new AtomicInteger();
    private int notifiedWritability;
    /** Reading paused while the outstanding deferred replies are at the cap (until half). */
    private boolean deferPaused;
    /** {@code Connection.pauseReading()}. */
    private boolean userPaused;
    /** Reading paused: output queued while the server is over its {@link MemoryBudget}. */
    private boolean budgetPaused;
    /** Being over the high watermark pauses reading ({@code pauseReadingWhenUnwritable}). */
    private boolean watermarkPauses = true;

    OutputPauses(LoopConfig config, MemoryBudget budget) {
        this.highWatermark = config.highWatermark();
        this.lowWatermark = config.lowWatermark();
        this.maxDeferred = config.maxDeferredReplies();
        this.budget = budget;
    }

    /** Re-decides the pauses after the output changed; the subclass then fixes the interest. */
    abstract void afterChange();

    /** @return true unless over the high watermark (until back at the low one); any thread */
    final boolean isWritable() {
        return (writability.get() & 1) == 0;
    }

    /**
     * A writer on another thread crossed the high watermark: unwritable now, not at the loop's
     * next look. The caller must then make the loop look (it flips back and notifies).
     *
     * @return true when this call made it unwritable
     */
    final boolean markUnwritable() {
        int w = writability.get();
        return (w & 1) == 0 && writability.compareAndSet(w, w + 1);
    }

    /**
     * Applies the watermarks, the budget and the deferred-reply cap.
     *
     * @param queued bytes queued and held
     * @param total the same plus the bytes in transit from other threads
     * @param outstanding deferred replies not done yet
     */
    final void updatePauses(long queued, long total, int outstanding) {
        int w = writability.get();
        if ((w & 1) == 0 ? total > highWatermark : total <= lowWatermark) {
            writability.compareAndSet(w, w + 1);
        }
        // over the server-wide budget, any queued output pauses reading too, until the queue is
        // empty or the budget has room again (output is never dropped)
        budgetPaused = queued > 0 && budget.isOverLimit();
        if (!deferPaused && outstanding >= maxDeferred) {
            deferPaused = true;
        } else if (deferPaused && outstanding <= maxDeferred / 2) {
            deferPaused = false;
        }
    }

    /** @return true while something pauses reading (an open connection's read interest) */
    final boolean readingPaused() {
        return (watermarkPauses && (writability.get() & 1) != 0) || deferPaused || userPaused || budgetPaused;
    }

    /** @return true once per change of writability since the last call: tell the handler */
    final boolean takeWritabilityChange() {
        int w = writability.get();
        if (w == notifiedWritability) {
            return false;
        }
        notifiedWritability = w;
        return true;
    }

    /** {@code pauseReading()} / {@code resumeReading()}: loop thread. */
    final void setUserPaused(boolean paused) {
        userPaused = paused;
        afterChange();
    }

    /** {@code pauseReadingWhenUnwritable(boolean)}: loop thread. */
    final void setWatermarkPauses(boolean pauses) {
        watermarkPauses = pauses;
        afterChange();
    }
}
