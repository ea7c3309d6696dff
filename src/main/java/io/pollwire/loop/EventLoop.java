package io.pollwire.loop;

import io.pollwire.IdleStrategy;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetListener;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One poller thread: owns a {@link Poller}, the connections registered with it and the buffers
 * they share. Nothing else touches them; other threads hand work in through {@link #execute}.
 *
 * <p>Agent-style: each turn runs queued tasks and due timers, flushes connections written
 * outside a read, then polls (blocking or not, by {@link IdleStrategy}) and dispatches the
 * events. The hot path (read, frame, handle, write) allocates nothing: one input buffer, one
 * staging buffer and one gathering-write batch serve every connection of the loop in turn.
 */
public final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.pollwire");
    private static final int LISTENER_TOKEN_BASE = Integer.MAX_VALUE - 1024;
    private static final int ACCEPTS_PER_EVENT = 64;
    private static final long ACCEPT_BACKOFF_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long ACCEPT_BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);
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

    // Connections by token (= slot); free slots as a stack.
    private LoopConnection[] connections = new LoopConnection[64];
    private int[] freeSlots = new int[64];
    private int freeTop;
    private int slotsUsed;
    private int openCount;

    private final NetListener[] listeners = new NetListener[8];
    private final long[] acceptBackoffNanos = new long[8];
    private int listenerCount;

    // Shared by all connections of this loop, one at a time.
    final IoBuffer in;
    final ByteBuffer inView;
    private final IoBuffer staging;
    private int stagingPos;
    final WriteBatch batch;
    final WriteBatch flushBatch;
    final io.pollwire.codec.FrameBatch frameBatch = new io.pollwire.codec.FrameBatch(4096);
    final LoopFrames frames = new LoopFrames(this);
    final ChunkPool chunkPool; // memory (issue 14): made in the constructor, charged to the budget
    /** Connection whose read is being processed: its writes go to {@link #batch}. */
    LoopConnection batchOwner;
    private LoopConnection pendingFlush;

    long now = System.nanoTime();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** When the next sweep for idle and slow-closing connections is due, if one is scheduled. */
    private long sweepAt;
    private boolean sweepScheduled;
    /** Connections in CLOSING: while there are any, the sweep enforces their close timeout. */
    private int closingCount;
    private ShutdownHook shutdownHook;
    private volatile Throwable failure;

    /**
     * @param core what the server's loops share
     * @param index this loop's number, used in its thread name
     * @param poller this loop's own poller; the loop closes it when it ends
     */
    public EventLoop(ServerCore core, int index, Poller poller) {
        this.core = core;
        this.config = core.config;
        this.index = index;
        this.poller = poller;
        // memory (issue 14): the shared buffer holds one read after a stashed partial frame;
        // longer partial frames live in their connection's PartialFrame, sized by what arrived
        int inCapacity = config.readBufferSize + PartialFrame.STASH_MAX;
        this.chunkPool = new ChunkPool(256, core.budget);
        this.in = IoBuffer.allocate(inCapacity);
        this.inView = in.buffer().asReadOnlyBuffer().order(in.buffer().order());
        this.staging = IoBuffer.allocate(64 * 1024);
        this.batch = new WriteBatch(256);
        this.flushBatch = new WriteBatch(256);
        this.thread = new Thread(this, config.threadNamePrefix + "-loop-" + index);
        this.thread.setDaemon(config.daemon);
        scheduleSweep();
    }

    /** Starts the loop's thread. */
    public void start() {
        thread.start();
    }

    /** @return true when called from this loop's thread */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** @return the loop's thread */
    public Thread thread() {
        return thread;
    }

    /**
     * Runs {@code task} on the loop thread soon, waking the loop if it is blocked. Tasks run in
     * submission order.
     *
     * @return false when the loop has already ended (the task will not run)
     */
    public boolean execute(Runnable task) {
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

    /** @return why the loop ended on its own (an unexpected error), or null */
    public Throwable failure() {
        return failure;
    }

    /** @return true until the loop's thread has ended */
    boolean isAlive() {
        return terminated.getCount() != 0;
    }

    /** Asks the loop to end: it closes its listeners and every connection, then its poller. */
    public void requestStop() {
        stopRequested = true;
        if ((int) SLEEPING.getAndSet(this, 0) == 1) {
            poller.wakeup();
        }
    }

    /**
     * Waits for the loop's thread to end.
     *
     * @return true if it ended within the timeout
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** Registers a listener with this loop; call before {@link #start()} or on the loop. */
    public void addListener(NetListener listener) throws IOException {
        if (listenerCount == listeners.length) {
            throw new IllegalStateException("too many listeners on one loop");
        }
        int k = listenerCount++;
        listeners[k] = listener;
        poller.register(listener, LISTENER_TOKEN_BASE + k, Poller.READ);
    }

    /** Closes this loop's listeners: from now on new connections are refused. Loop thread. */
    void closeListeners() {
        for (int k = 0; k < listenerCount; k++) {
            if (listeners[k] != null) {
                listeners[k].close();
                listeners[k] = null;
            }
        }
    }

    /**
     * Phase 1 of shutdown: closes the listeners on the loop thread, then runs {@code done}.
     *
     * @return false when the loop has already ended
     */
    public boolean closeListenersAsync(Runnable done) {
        return execute(() -> {
            closeListeners();
            done.run();
        });
    }

    /**
     * Phases 2 and 3 of shutdown: every connection of this loop stops handling input, flushes,
     * sends FIN and discards input until the peer closes; {@code hook} hears of each step.
     *
     * @return false when the loop has already ended
     */
    public boolean drainAsync(ShutdownHook hook, Runnable started) {
        return execute(() -> {
            shutdownHook = hook;
            int count = openCount;
            long partial = 0;
            LoopConnection[] snapshot = new LoopConnection[count];
            int k = 0;
            for (int i = 0; i < slotsUsed && k < count; i++) {
                if (connections[i] != null) {
                    snapshot[k++] = connections[i];
                }
            }
            for (int i = 0; i < k; i++) {
                partial += snapshot[i].drainedPartialBytes();
            }
            hook.draining(k, partial);
            for (int i = 0; i < k; i++) {
                snapshot[i].beginDrain();
            }
            started.run();
        });
    }

    /**
     * Phase 4 of shutdown: force-closes what is still open and reports how many.
     *
     * @return false when the loop has already ended
     */
    public boolean forceCloseAsync(java.util.function.IntConsumer forced) {
        return execute(() -> {
            ShutdownHook hook = shutdownHook;
            shutdownHook = null; // forced closes are not drains
            int n = 0;
            for (int i = 0; i < slotsUsed; i++) {
                LoopConnection c = connections[i];
                if (c != null) {
                    c.closeNow(io.pollwire.CloseReason.SHUTDOWN, null);
                    n++;
                }
            }
            shutdownHook = hook;
            forced.accept(n);
        });
    }

    @Override
    public void run() {
        try {
            while (!stopRequested) {
                runTasks();
                runTimers();
                flushPending();
                if (stopRequested) {
                    break;
                }
                int timeout = config.idleStrategy == IdleStrategy.BUSY_SPIN ? 0 : pollTimeout();
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
                if (n == 0 && config.idleStrategy == IdleStrategy.BUSY_SPIN) {
                    Thread.onSpinWait();
                }
            }
        } catch (Throwable t) {
            failure = t;
            logSafely(Level.ERROR, "event loop " + thread.getName() + " failed; closing its connections", t);
        } finally {
            SLEEPING.setVolatile(this, 0); // no wakeup may reach the poller closed below
            closeEverything();
            terminated.countDown();
            runTasks(); // tasks queued while ending: let them see a closed world, not hang
            if (failure != null) {
                core.loopFailed(this, failure);
            }
        }
    }

    private void dispatch(int token, int ops) {
        if (token >= LISTENER_TOKEN_BASE) {
            acceptFrom(token - LISTENER_TOKEN_BASE);
            return;
        }
        LoopConnection c = token < slotsUsed ? connections[token] : null;
        if (c != null) {
            try {
                c.onReady(ops);
            } catch (OutOfMemoryError e) {
                c.outOfMemory(e); // memory (issue 14): a failed allocation costs one connection
            } catch (Throwable e) {
                // a bug (ours or in a custom framer) must cost this connection, not the loop;
                // memory (issue 14): only a broken JVM ends the loop (see LoopErrors)
                LoopErrors.rethrowIfFatal(e);
                logSafely(Level.ERROR, "unexpected error on " + c + "; closing it", e);
                c.closeNow(io.pollwire.CloseReason.IO_ERROR, e);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "task failed on " + thread.getName(), t);
            }
        }
    }

    // ---- timers --------------------------------------------------------------------------

    /** A task due at a {@link System#nanoTime()} deadline; loop thread only. */
    static final class Timer implements Comparable<Timer> {
        final long deadline;
        final Runnable task;

        Timer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            return Long.compare(deadline - o.deadline, 0);
        }
    }

    /** Runs {@code task} on the loop after {@code delayNanos}; loop thread only. */
    void schedule(long delayNanos, Runnable task) {
        timers.add(new Timer(System.nanoTime() + delayNanos, task));
    }

    private void runTimers() {
        long t = System.nanoTime();
        now = t;
        Timer head;
        while ((head = timers.peek()) != null && head.deadline - t <= 0) {
            timers.poll();
            try {
                head.task.run();
            } catch (Throwable e) {
                logSafely(Level.WARNING, "timer failed on " + thread.getName(), e);
            }
        }
        if (sweepScheduled && sweepAt - t <= 0) {
            sweep(t);
        }
    }

    /** @return milliseconds until the next timer or sweep (at least 1), or -1 when none is due */
    private int pollTimeout() {
        boolean any = sweepScheduled;
        long next = sweepAt;
        Timer head = timers.peek();
        if (head != null && (!any || head.deadline - next < 0)) {
            next = head.deadline;
            any = true;
        }
        if (!any) {
            return -1;
        }
        long delta = next - System.nanoTime();
        if (delta <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(delta + 999_999)));
    }

    /**
     * Idle connections (when an idle timeout is set) and connections whose graceful close has
     * stalled are found by a periodic sweep rather than a timer each: no allocation per
     * connection, nothing kept alive after a close.
     */
    private void scheduleSweep() {
        long interval = Long.MAX_VALUE;
        if (config.idleTimeoutNanos > 0) {
            interval = Math.max(TimeUnit.MILLISECONDS.toNanos(5), config.idleTimeoutNanos / 8);
        }
        if (closingCount > 0) {
            interval = Math.min(interval, LoopConnection.CLOSE_TIMEOUT_NANOS / 20);
        }
        sweepScheduled = interval != Long.MAX_VALUE;
        sweepAt = System.nanoTime() + (sweepScheduled ? interval : 0);
    }

    private void sweep(long t) {
        long idle = config.idleTimeoutNanos;
        for (int i = 0; i < slotsUsed; i++) {
            LoopConnection c = connections[i];
            if (c == null) {
                continue;
            }
            long quiet = t - c.lastActivity;
            if (c.state == LoopConnection.OPEN) {
                if (idle > 0 && quiet > idle) {
                    c.closeIdle();
                }
            } else if (c.state == LoopConnection.CLOSING && quiet > LoopConnection.CLOSE_TIMEOUT_NANOS) {
                c.closeStalled(); // draining connections are timed by the shutdown coordinator
            }
        }
        scheduleSweep();
    }

    /** A connection entered CLOSING: make sure a sweep will time it. */
    void closingStarted() {
        if (closingCount++ == 0) {
            long due = System.nanoTime() + LoopConnection.CLOSE_TIMEOUT_NANOS / 20;
            if (!sweepScheduled || due - sweepAt < 0) {
                sweepAt = due;
                sweepScheduled = true;
            }
        }
    }

    /** A connection left CLOSING (closed, or drained by a shutdown). */
    void closingEnded() {
        closingCount--;
    }

    // ---- accepting -----------------------------------------------------------------------

    private void acceptFrom(int k) {
        NetListener listener = listeners[k];
        for (int i = 0; i < ACCEPTS_PER_EVENT && listener == listeners[k] && listener != null; i++) {
            NetSocket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isTransient(e)) {
                    continue;
                }
                pauseAccepting(k, e);
                return;
            } catch (OutOfMemoryError e) {
                // memory (issue 14): no memory for a new connection: back off like EMFILE
                pauseAccepting(k, new IOException("out of memory", e));
                return;
            }
            if (socket == null) {
                return;
            }
            acceptBackoffNanos[k] = 0; // an accept worked: the next failure starts a new burst
            if (!core.tryReserveConnection()) {
                socket.close();
                continue;
            }
            // With a listener per loop (SO_REUSEPORT) the kernel already spread the
            // connections: keep them here. Otherwise hand them round-robin to every loop.
            EventLoop target = config.listenerPerLoop ? this : core.nextLoop();
            if (target == this) {
                adopt(socket);
            } else if (!target.execute(() -> target.adopt(socket))) {
                socket.close();
                core.connectionClosed();
            }
        }
    }

    /**
     * Out of descriptors (EMFILE/ENFILE) or memory: stop watching the listener for a while
     * instead of spinning on an accept that keeps failing, keep serving the connections we
     * have, and try again with a growing delay. Logged once per burst.
     */
    private void pauseAccepting(int k, IOException e) {
        NetListener listener = listeners[k];
        long backoff = acceptBackoffNanos[k];
        if (backoff == 0) {
            logSafely(Level.WARNING, "accept failed on " + listener.localAddress() + " ("
                    + e.getMessage() + "); pausing accepts and serving existing connections", null);
        }
        backoff = backoff == 0 ? ACCEPT_BACKOFF_MIN_NANOS : Math.min(ACCEPT_BACKOFF_MAX_NANOS, backoff * 2);
        acceptBackoffNanos[k] = backoff;
        try {
            poller.modify(listener, LISTENER_TOKEN_BASE + k, 0);
        } catch (IOException modifyFailed) {
            logSafely(Level.WARNING, "cannot pause listener " + listener.localAddress(), modifyFailed);
        }
        schedule(backoff, () -> resumeAccepting(k, listener));
    }

    /**
     * Logging can itself fail when the process is out of descriptors (a log handler may need to
     * open a file, the JDK may need to load time-zone data): a loop must never die of that.
     */
    private static void logSafely(Level level, String message, Throwable error) {
        try {
            LOG.log(level, message, error);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
            // nothing else to do: the condition persists and will be logged when it can be
        }
    }

    private void resumeAccepting(int k, NetListener listener) {
        if (listeners[k] != listener) {
            return; // closed meanwhile (shutdown)
        }
        try {
            poller.modify(listener, LISTENER_TOKEN_BASE + k, Poller.READ);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot resume listener " + listener.localAddress(), e);
            return;
        }
        acceptFrom(k);
    }

    /** Takes ownership of an accepted socket: registers it and tells the handler. */
    void adopt(NetSocket socket) {
        ShutdownHook hook = shutdownHook;
        if (stopRequested || (hook != null && hook.forcing())) {
            socket.close();
            core.connectionClosed();
            return;
        }
        int slot = allocateSlot();
        LoopConnection c;
        try {
            // the framer comes from user code: build everything before the socket is registered
            c = new LoopConnection(this, socket, slot, core.nextConnectionId());
            if (config.tcpNoDelay) {
                socket.setTcpNoDelay(true);
            }
            poller.register(socket, slot, Poller.READ);
        } catch (IOException | RuntimeException | LinkageError | OutOfMemoryError e) {
            // reset before we could take it, or a framer that cannot be made: the application
            // never saw this connection, so no callbacks; nothing of it may stay behind
            // memory (issue 14): OutOfMemoryError included, it costs this connection only
            if (!(e instanceof IOException)) {
                logSafely(Level.ERROR, "cannot set up an accepted connection; closing it", e);
            }
            socket.close();
            freeSlots[freeTop++] = slot;
            core.connectionClosed();
            return;
        }
        connections[slot] = c;
        openCount++;
        if (hook != null) {
            // Accepted just before the listener closed: counted first (its close reports to the
            // hook), seen by the handler like any other, then drained like the rest.
            hook.draining(1, 0);
        }
        c.opened();
        if (hook != null && c.state != LoopConnection.CLOSED) {
            c.beginDrain();
        }
    }

    private int allocateSlot() {
        if (freeTop > 0) {
            return freeSlots[--freeTop];
        }
        if (slotsUsed == connections.length) {
            connections = java.util.Arrays.copyOf(connections, slotsUsed * 2);
            freeSlots = java.util.Arrays.copyOf(freeSlots, slotsUsed * 2);
        }
        return slotsUsed++;
    }

    /** Called by a connection once it is closed: frees its slot. */
    void released(LoopConnection c) {
        if (connections[c.slot] == c) {
            connections[c.slot] = null;
            freeSlots[freeTop++] = c.slot;
            openCount--;
            if (pendingFlush == c || c.nextPending != null) {
                unlinkPending(c);
            }
            if (shutdownHook != null) {
                shutdownHook.drained(c.discardedBytes);
            }
        }
    }

    private void closeEverything() {
        closeListeners();
        for (int i = 0; i < slotsUsed; i++) {
            LoopConnection c = connections[i];
            if (c != null) {
                c.forceClose();
            }
        }
        poller.close();
    }

    // ---- output batching -----------------------------------------------------------------

    /** Starts collecting the output of one connection's read into the shared batch. */
    void beginBatch(LoopConnection c) {
        batchOwner = c;
        batch.clear();
        stagingPos = 0;
    }

    /** Sends what the read produced, in one system call where possible. */
    void endBatch(LoopConnection c) {
        batchOwner = null;
        if (batch.count() > 0) {
            c.writeBatch(batch);
            batch.clear();
            stagingPos = 0;
        }
        c.afterOutputChange();
    }

    /** Adds a range of the input buffer (an echoed frame) to the batch, without copying. */
    void stageInput(LoopConnection c, IoBuffer src, int offset, int length) {
        if (!batch.append(src, offset, length) && flushBatchMidway(c)) {
            c.queueOrStage(src, offset, length);
        }
    }

    /** Copies bytes into the staging buffer and the batch. */
    void stageBytes(LoopConnection c, byte[] src, int offset, int length) {
        if (length > staging.capacity() - stagingPos || batch.isFull()) {
            if (!flushBatchMidway(c)) {
                return;
            }
            if (length > staging.capacity() || !c.outputEmpty()) {
                c.enqueue(src, offset, length);
                return;
            }
        }
        staging.buffer().put(stagingPos, src, offset, length);
        batch.append(staging, stagingPos, length);
        stagingPos += length;
    }

    /** Copies a buffer's remaining bytes into the staging buffer and the batch. */
    void stageBytes(LoopConnection c, ByteBuffer src) {
        int length = src.remaining();
        if (length > staging.capacity() - stagingPos || batch.isFull()) {
            if (!flushBatchMidway(c)) {
                src.position(src.limit());
                return;
            }
            if (length > staging.capacity() || !c.outputEmpty()) {
                c.enqueue(src);
                return;
            }
        }
        staging.buffer().put(stagingPos, src, src.position(), length);
        src.position(src.limit());
        batch.append(staging, stagingPos, length);
        stagingPos += length;
    }

    /** @return false when the write failed and closed the connection */
    private boolean flushBatchMidway(LoopConnection c) {
        if (batch.count() > 0) {
            c.writeBatch(batch);
            batch.clear();
        }
        stagingPos = 0;
        return c.state != LoopConnection.CLOSED;
    }


    // ---- writes outside a read -------------------------------------------------------------

    /** Remembers to flush {@code c} before the loop polls again. */
    void scheduleFlush(LoopConnection c) {
        if (c.nextPending == null && pendingFlush != c) {
            c.nextPending = pendingFlush == null ? c : pendingFlush;
            pendingFlush = c;
        }
    }

    private void unlinkPending(LoopConnection c) {
        // Rebuild the short list without c; rare (a connection closed with a flush pending).
        LoopConnection head = pendingFlush;
        pendingFlush = null;
        while (head != null) {
            LoopConnection next = head.nextPending == head ? null : head.nextPending;
            head.nextPending = null;
            if (head != c) {
                scheduleFlush(head);
            }
            head = next;
        }
    }

    private void flushPending() {
        while (pendingFlush != null) {
            LoopConnection c = pendingFlush;
            LoopConnection next = c.nextPending == c ? null : c.nextPending;
            c.nextPending = null;
            pendingFlush = next;
            c.flush();
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }
}
