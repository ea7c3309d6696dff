// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.IdleStrategy;
import io.pollwire.codec.FrameBatch;
import io.pollwire.shutdown.ShutdownHook;
import io.pollwire.shutdown.ShutdownTarget;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetListener;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One poller thread: owns a {@link Poller}, the connections registered with it and the buffers
 * they share. Nothing else touches them; other threads hand work in through {@link #execute}.
 * This file is the thread itself: its task queue and wakeup, its turn, the dispatch of events,
 * and the shutdown steps run on it. The other rooms of a loop: {@link Acceptor} (listeners),
 * {@link ConnectionSlots} (connections by token), {@link LoopTimers} (timers and the sweep),
 * {@link ReplyBatch} and {@link PendingFlushes} (output).
 *
 * <p>Agent-style (Agrona's {@code AgentRunner}, Netty's {@code SingleThreadIoEventLoop}): each
 * turn runs queued tasks and due timers, flushes connections written outside a read, then polls
 * (blocking or not, by {@link IdleStrategy}) and dispatches the events. The hot path (read,
 * frame, handle, write) allocates nothing: one input buffer, one reply batch and one
 * gathering-write batch serve every connection of the loop in turn.
 */
final class EventLoop implements Runnable, ShutdownTarget {
    private static final VarHandle SLEEPING;

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(EventLoop.class, "sleeping", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ServerCore core;
    final LoopConfig config;
    final int index;
    final Poller poller;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** 1 while the loop is (about to be) blocked in poll: only then does a submitter wake it. */
    @SuppressWarnings("unused")
    private volatile int sleeping;
    private volatile boolean stopRequested;

    final ConnectionSlots slots = new ConnectionSlots();
    final Acceptor acceptor = new Acceptor(this);
    final LoopTimers timers;
    final ReplyBatch replies = new ReplyBatch(64 * 1024, 256);
    final PendingFlushes flushes = new PendingFlushes();
    /** This loop's counters (written only here), summed by {@code Server.stats()}. */
    final LoopStats stats = new LoopStats();

    // Shared by all connections of this loop, one at a time.
    final IoBuffer in;
    final ByteBuffer inView;
    final WriteBatch flushBatch = new WriteBatch(256);
    final FrameBatch frameBatch = new FrameBatch(4096);
    final LoopFrames frames = new LoopFrames();
    /** Queue chunks, charged to the server's budget while taken. */
    final ChunkPool chunkPool;

    /** {@link System#nanoTime()} at the start of the current turn's dispatch. */
    long now = System.nanoTime();
    private ShutdownHook shutdownHook;
    private volatile Throwable failure;

    /**
     * @param core what the server's loops share
     * @param index this loop's number, used in its thread name
     * @param poller this loop's own poller; the loop closes it when it ends
     */
    EventLoop(ServerCore core, int index, Poller poller) {
        this.core = core;
        this.config = core.config;
        this.index = index;
        this.poller = poller;
        // one read after a stashed partial frame; longer partial frames live in their
        // connection's PartialFrame, sized by what arrived
        int inCapacity = config.readBufferSize() + PartialFrame.STASH_MAX;
        this.in = IoBuffer.allocate(inCapacity);
        this.chunkPool = new ChunkPool(256, core.budget);
        this.inView = in.buffer().asReadOnlyBuffer().order(in.buffer().order());
        this.thread = new Thread(this, config.threadNamePrefix() + "-loop-" + index);
        this.thread.setDaemon(config.daemon());
        this.timers = new LoopTimers(slots, config.idleTimeoutNanos());
    }

    /** Starts the loop's thread. */
    void start() {
        thread.start();
    }

    /** @return true when called from this loop's thread */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop thread soon, waking the loop if it is blocked. Tasks run in
     * submission order.
     *
     * @return false when the loop has already ended (the task will not run)
     */
    boolean execute(Runnable task) {
        if (terminated.getCount() == 0) {
            return false;
        }
        tasks.offer(task);
        // The loop may have run its last task between the check above and the offer: take the
        // task back if it is still queued, so that the caller knows it will not run.
        if (terminated.getCount() == 0 && tasks.remove(task)) {
            return false;
        }
        if ((int) SLEEPING.getAndSet(this, 0) == 1) {
            poller.wakeup();
        }
        return true;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** @return true until the loop's thread has ended */
    boolean isAlive() {
        return terminated.getCount() != 0;
    }

    /** @return true once {@link #requestStop()} was called */
    boolean isStopRequested() {
        return stopRequested;
    }

    /** @return the shutdown coordinator's hook while the loop drains, else null */
    ShutdownHook shutdownHook() {
        return shutdownHook;
    }

    /** Asks the loop to end: it closes its listeners and every connection, then its poller. */
    @Override
    public void requestStop() {
        stopRequested = true;
        if ((int) SLEEPING.getAndSet(this, 0) == 1) {
            poller.wakeup();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** Registers a listener with this loop; call before {@link #start()} or on the loop. */
    void addListener(NetListener listener) throws IOException {
        acceptor.add(listener);
    }

    // ---- shutdown steps, run on the loop (see ShutdownCoordinator) ---------------------------

    @Override
    public boolean closeListenersAsync(Runnable done) {
        return execute(() -> {
            acceptor.closeAll();
            done.run();
        });
    }

    /**
     * Every connection of this loop stops handling input, flushes, sends FIN and discards input
     * until the peer closes; {@code hook} hears of each step.
     */
    @Override
    public boolean drainAsync(ShutdownHook hook, Runnable started) {
        return execute(() -> {
            shutdownHook = hook;
            LoopConnection[] snapshot = slots.snapshot();
            long partial = 0;
            for (LoopConnection c : snapshot) {
                partial += c.drainedPartialBytes();
            }
            hook.draining(snapshot.length, partial);
            stats.add(LoopStats.DRAINS_STARTED, snapshot.length);
            for (LoopConnection c : snapshot) {
                c.beginDrain();
            }
            started.run();
        });
    }

    @Override
    public boolean forceCloseAsync(IntConsumer forced) {
        return execute(() -> {
            ShutdownHook hook = shutdownHook;
            shutdownHook = null; // forced closes are not drains
            // every connection open now is forced, including one a handler's onClose closes
            // while its turn has not come (a proxy's other side): counted here, not lost
            LoopConnection[] open = slots.snapshot();
            int abandoned = 0;
            // count every connection's outstanding replies before any closes: a handler's
            // onClose may release another connection's reservation (a proxy side giving up its
            // pair's awaited answer), which would then go uncounted
            for (LoopConnection c : open) {
                int replies = c.abandonReplies();
                abandoned += replies;
                ConnectionEvents.forced(c, replies);
            }
            for (LoopConnection c : open) {
                c.closeNow(CloseReason.SHUTDOWN, null);
            }
            int n = open.length;
            if (hook != null) {
                hook.abandoned(abandoned);
            }
            shutdownHook = hook;
            forced.accept(n);
        });
    }

    // ---- the turn ----------------------------------------------------------------------------

    @Override
    public void run() {
        try {
            while (!stopRequested) {
                runTasks();
                now = System.nanoTime();
                timers.runDue(now);
                flushes.flushAll();
                if (stopRequested) {
                    break;
                }
                int timeout = config.idleStrategy() == IdleStrategy.BUSY_SPIN ? 0
                        : timers.pollTimeoutMillis(System.nanoTime());
                boolean mayBlock = timeout != 0;
                if (mayBlock) {
                    SLEEPING.setVolatile(this, 1);
                    if (!tasks.isEmpty() || stopRequested) {
                        timeout = 0;
                    }
                }
                int n;
                try {
                    n = poller.poll(timeout);
                } finally {
                    if (mayBlock) {
                        SLEEPING.setOpaque(this, 0);
                    }
                }
                now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    dispatch(poller.token(i), poller.readyOps(i));
                }
                if (n == 0 && config.idleStrategy() == IdleStrategy.BUSY_SPIN) {
                    Thread.onSpinWait();
                }
            }
        } catch (Throwable t) {
            failure = t;
            LoopLog.safely(Level.ERROR, "event loop " + thread.getName() + " failed; closing its connections", t);
        } finally {
            SLEEPING.setVolatile(this, 0); // no wakeup may reach the poller closed below
            closeEverything();
            terminated.countDown();
            runTasks(); // tasks queued while ending: let them see a closed world, not hang
            if (failure != null) {
                core.loopFailed();
            }
        }
    }

    private void dispatch(int token, int ops) {
        if (Acceptor.isListenerToken(token)) {
            acceptor.acceptFrom(token);
            return;
        }
        LoopConnection c = slots.get(token);
        if (c != null) {
            try {
                c.onReady(ops);
            } catch (OutOfMemoryError e) {
                c.outOfMemory(e); // a failed allocation costs one connection
            } catch (Throwable e) {
                // a bug (ours or in a custom framer) must cost this connection, not the loop;
                // only a broken JVM ends the loop (see LoopErrors)
                LoopErrors.rethrowIfFatal(e);
                LoopLog.safely(Level.ERROR, "unexpected error on " + c + "; closing it", e);
                c.closeNow(CloseReason.IO_ERROR, e);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                LoopLog.LOG.log(Level.WARNING, "task failed on " + thread.getName(), t);
            }
        }
    }

    /** Called by a connection once it is closed: frees its slot. */
    void released(LoopConnection c) {
        if (slots.remove(c)) {
            flushes.remove(c);
            if (shutdownHook != null) {
                stats.increment(LoopStats.DRAINS_COMPLETED);
                shutdownHook.drained(c.discardedBytes(), c.drainedWithReplies());
            }
        }
    }

    private void closeEverything() {
        acceptor.closeAll();
        for (int i = 0; i < slots.limit(); i++) {
            LoopConnection c = slots.get(i);
            if (c != null) {
                c.forceClose();
            }
        }
        poller.close();
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
