// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's ordered hand-off from other threads to its loop: writes (copied), reserved
 * reply places, tasks and control operations (close, pause, resume), applied on the loop in
 * the order they were offered. The loop drains it before it does anything for the connection
 * itself (a write, a close), so any two operations on one connection take effect in
 * happens-before order, whichever threads made them. Go's channels and Netty's per-channel task
 * queue give the same guarantee.
 *
 * <p>Many producers, one consumer: a lock-free queue plus a "drain scheduled" flag, so a burst
 * of writes costs one loop task.
 */
final class Handoff implements Runnable {
    /** Control operations offered from other threads. */
    enum Op { CLOSE, ABORT, PAUSE_READING, RESUME_READING, SHUTDOWN_OUTPUT, WATERMARK_PAUSES, WATERMARK_IGNORED }

    /** Applies one operation on the loop; the connection. */
    interface Target {
        /** @param item a {@code byte[]} write, a {@link ReservedReply}, a task or an {@link Op} */
        void apply(Object item);

        /** After a drain, or a deferred reply done: release settled places, flush, notify. */
        void afterHandoff();

        /** A reply was completed on the loop thread itself. */
        void replyDoneOnLoop();
    }

    private final EventLoop loop;
    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Bytes offered and not yet applied: they count for the watermarks. */
    final AtomicLong inTransit = new AtomicLong();
    private Target target;
    private boolean draining;
    private volatile boolean closed;

    Handoff(EventLoop loop) {
        this.loop = loop;
    }

    void bind(Target t) {
        this.target = t;
    }

    /**
     * Offers an operation from a thread other than the loop.
     *
     * @param bytes its size when it is a write (counted in transit until applied)
     * @return false when the connection or its loop is gone: it will not be applied
     */
    boolean offer(Object item, int bytes) {
        if (closed) {
            return false;
        }
        if (bytes > 0) {
            inTransit.addAndGet(bytes);
        }
        items.offer(item);
        if (!scheduled.get() && scheduled.compareAndSet(false, true) && !loop.execute(this)) {
            closed = true; // the loop has ended: nothing offered will run
            discard();
            return false;
        }
        return true;
    }

    /** A deferred reply was sent or abandoned, on any thread. */
    void replyDone(ReservedReply r) {
        if (loop.inLoop()) {
            target.replyDoneOnLoop();
        } else {
            wake();
        }
    }

    /** Makes the loop look at the connection soon (a drain, then {@link Target#afterHandoff()}). */
    void wake() {
        if (!closed && !scheduled.get() && scheduled.compareAndSet(false, true) && !loop.execute(this)) {
            closed = true;
        }
    }

    /** @return true while operations offered from other threads wait (a cheap check) */
    boolean pending() {
        return scheduled.get();
    }

    /** The loop's task: applies everything offered so far. */
    @Override
    public void run() {
        drain();
        if (!closed) {
            target.afterHandoff();
        }
    }

    /** Applies, on the loop, every operation offered so far, in order. Not reentrant. */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            scheduled.set(false);
            Object item;
            while ((item = items.poll()) != null) {
                if (closed) {
                    dropItem(item);
                } else {
                    target.apply(item);
                }
                // after it is applied (queued, with the hint updated): other threads may count
                // a write twice for a moment, never miss it, so a writer stops early, not late
                if (item instanceof byte[]) {
                    inTransit.addAndGet(-((byte[]) item).length);
                }
            }
        } finally {
            draining = false;
        }
    }

    /** The connection closed (loop thread): later offers fail; what is queued is dropped. */
    void close() {
        closed = true;
        discard();
    }

    /** @return true once {@link #close()} ran or the loop was found ended */
    boolean isClosed() {
        return closed;
    }

    private void discard() {
        Object item;
        while ((item = items.poll()) != null) {
            if (item instanceof byte[]) {
                inTransit.addAndGet(-((byte[]) item).length);
            }
            dropItem(item);
        }
    }

    private boolean loopAlive() {
        return loop.inLoop();
    }

    private void dropItem(Object item) {
        if (item instanceof ReservedReply) {
            ((ReservedReply) item).drop();
        } else if (item instanceof Runnable && loopAlive()) {
            // executor tasks still run on the loop: they may not assume the connection is open
            try {
                ((Runnable) item).run();
            } catch (RuntimeException e) {
                LoopLog.LOG.log(System.Logger.Level.WARNING, "connection task failed", e);
            }
        }
    }
}
