package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.FrameBatch;
import io.pollwire.codec.Framer;
import io.pollwire.codec.FramingException;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A connection's state machine, run by its event loop: read, cut into frames, hand each to the
 * handler, send the replies, apply backpressure, close.
 *
 * <pre>
 *   OPEN ──close()/EOF/error──▶ CLOSING: flush, FIN, discard input ──peer's FIN──▶ CLOSED
 *     │                            (at most {@link #CLOSE_TIMEOUT_NANOS}, then forced)   ▲
 *     └──server shutdown──▶ DRAINING: the same, timed by the shutdown coordinator ────────┘
 * </pre>
 *
 * <p>Closing sends FIN and reads until the peer's FIN instead of closing at once: closing a
 * socket with unread input makes the kernel send RST, which can destroy the replies (an
 * {@code ERR} line, the last echoes) still on their way to the peer.
 *
 * <p>Input: bytes left over after the last complete frame (a partial frame) are kept by a
 * {@link PartialFrame}, in memory proportional to them and within the server's
 * {@link MemoryBudget}, so the framer always sees one contiguous range. Output: see
 * {@link EventLoop#beginBatch}.
 */
final class LoopConnection implements Connection {
    private static final System.Logger LOG = System.getLogger("io.pollwire");

    static final int OPEN = 0;
    static final int CLOSING = 1;
    static final int DRAINING = 2;
    static final int CLOSED = 3;

    /**
     * A graceful close (flush, FIN, wait for the peer's FIN) is forced once no byte has moved
     * for this long: a slow but steady reader still gets all of its replies.
     */
    static final long CLOSE_TIMEOUT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    final EventLoop loop;
    final NetSocket socket;
    final int slot;
    private final long id;
    private final Framer framer;
    private final ConnectionHandler handler;
    private final OutboundQueue out;

    int state = OPEN;
    private boolean readPaused;
    private boolean outputShut;
    private boolean inputEnded;
    private int interest = Poller.READ;
    /** memory (issue 14): the partial frame, in memory proportional to it and within the budget. */
    private final PartialFrame partial;
    /** The buffer being processed: the loop's shared one or the partial frame's; its handler view. */
    private IoBuffer input;
    private ByteBuffer inputView;
    /** Bytes written from other threads, on their way to the loop: they count for watermarks. */
    private final java.util.concurrent.atomic.AtomicLong inTransit = new java.util.concurrent.atomic.AtomicLong();
    private InetSocketAddress local;
    /** The frame being handled, for {@link #echo()}: [frameStart, frameNext) of loop.in. */
    private int frameStart = -1;
    private int frameNext;
    long lastActivity;
    long discardedBytes;
    private CloseReason closeReason;
    private Throwable closeCause;
    private volatile boolean openFlag = true;
    private volatile long queuedHint;
    private volatile Object attachment;
    private InetSocketAddress remote;
    LoopConnection nextPending;

    LoopConnection(EventLoop loop, NetSocket socket, int slot, long id) {
        this.loop = loop;
        this.socket = socket;
        this.slot = slot;
        this.id = id;
        this.framer = loop.config.framing.newFramer();
        this.handler = loop.config.handler;
        this.out = new OutboundQueue(loop.chunkPool);
        this.partial = new PartialFrame(loop.core.budget, loop.config.framing.maxFrameBytes()); // memory (issue 14)
        this.lastActivity = loop.now;
    }

    void opened() {
        remote = socket.remoteAddress();
        local = socket.localAddress();
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    // ---- events --------------------------------------------------------------------------

    void onReady(int ops) {
        if ((ops & Poller.WRITE) != 0 && !out.isEmpty()) {
            flush();
        }
        if ((ops & Poller.READ) != 0 && (interest & Poller.READ) != 0) {
            if (state == OPEN) {
                read();
            } else {
                discardInput();
            }
        }
    }

    private void read() {
        EventLoop l = loop;
        // memory (issue 14): the partial frame is put in place (and grown) by PartialFrame
        int base = partial.beforeRead(l.in);
        if (base < 0) {
            shed();
            return;
        }
        IoBuffer src = partial.readBuffer(l.in);
        int n;
        try {
            n = socket.read(src, base, src.capacity() - base);
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (n == 0) {
            return;
        }
        useInput(src);
        if (n < 0) {
            endOfStream(base);
            return;
        }
        lastActivity = l.now;
        process(base + n);
    }

    private void useInput(IoBuffer src) {
        input = src;
        inputView = partial.viewOf(src, loop.inView); // memory (issue 14)
    }

    /** The read-only view handed to handlers, positioned on {@code [start, end)} of the input. */
    ByteBuffer view(int start, int end) {
        ByteBuffer v = inputView;
        v.limit(end);
        v.position(start);
        return v;
    }

    /**
     * Cuts {@code input[0, end)} into frames and hands them to the handler, a batch at a time
     * (usually the whole read in one call).
     */
    private void process(int end) {
        EventLoop l = loop;
        ByteBuffer buf = input.buffer();
        Framer f = framer;
        FrameBatch batch = l.frameBatch;
        LoopFrames frames = l.frames;
        l.beginBatch(this);
        int pos = 0;
        try {
            while (state == OPEN && pos < end) {
                batch.clear(pos);
                int next = f.nextBatch(buf, pos, end, batch);
                if (batch.isEmpty()) {
                    break;
                }
                if (next <= pos || next > end) {
                    // a custom framer that does not advance would spin this loop forever
                    throw new IllegalStateException("framer " + f + " broke its contract: frames found but next "
                            + next + " is outside (" + pos + ", " + end + "]");
                }
                frames.bind(this, batch);
                handler.onFrames(this, frames);
                pos = next;
            }
        } catch (FramingException e) {
            frameStart = -1;
            framingFailed(e);
            pos = end;
        } catch (Throwable t) {
            frameStart = -1;
            handlerFailed(t);
            pos = end;
        } finally {
            frames.unbind();
        }
        frameStart = -1;
        // Send first: the output may point into the input buffer, and keeping the partial frame
        // can move bytes within the connection's own buffer.
        l.endBatch(this);
        keepPartial(pos, end);
    }

    /** Makes {@code [streamStart, next)} of the input the frame {@link #echo()} sends back. */
    void selectFrame(int streamStart, int next) {
        frameStart = streamStart;
        frameNext = next;
    }

    /** Sends {@code [from, to)} of the input back as it arrived (frames, delimiters included). */
    void echoRange(int from, int to) {
        if (state == OPEN) {
            queueOrStage(input, from, to - from);
        }
    }

    private void keepPartial(int pos, int end) {
        int length = state == OPEN ? end - pos : 0;
        if (length == 0) {
            dropPartial();
            return;
        }
        int max = loop.config.framing.maxFrameBytes();
        if (length > max) {
            fail(new IOException("framer " + framer + " kept " + length
                    + " bytes without a frame, over its maxFrameBytes " + max));
            return;
        }
        // memory (issue 14): kept in memory proportional to it, within the budget, or shed
        if (!partial.keep(input, pos, length)) {
            shed();
        }
    }

    /** Forgets the partial frame; a connection that is not mid-frame holds no input buffer. */
    private void dropPartial() {
        partial.clear(); // memory (issue 14)
    }

    /**
     * memory (issue 14): the budget (or the allocator) refused room for the partial frame: the
     * handler hears a {@link io.pollwire.ServerBusyException} (by default it replies
     * {@code ERR server busy}), then the connection closes with OVERLOADED.
     */
    private void shed() {
        partial.release();
        OutOfMemoryError oom = partial.failure();
        if (oom != null) {
            loop.core.budget.allocationFailed(this, oom);
        } else {
            loop.core.budget.connectionShed(this, partial.refusedBytes());
        }
        try {
            handler.onFramingError(this, new io.pollwire.ServerBusyException());
        } catch (Throwable t) {
            LoopErrors.rethrowIfFatal(t); // a failing reply does not change the outcome
        }
        if (!out.isEmpty()) {
            flush(); // send the reply now: its queue chunk goes back at once, not after the burst
        }
        closeGracefully(CloseReason.OVERLOADED, oom);
    }

    private void endOfStream(int partial) {
        inputEnded = true;
        if (partial > 0 && state == OPEN) {
            loop.beginBatch(this);
            frameStart = 0;
            frameNext = partial;
            try {
                handler.onPartialFrame(this, view(0, partial));
            } catch (Throwable t) {
                handlerFailed(t);
            }
            frameStart = -1;
            loop.endBatch(this);
        }
        dropPartial();
        closeGracefully(CloseReason.PEER_CLOSED, null);
    }

    // ---- output --------------------------------------------------------------------------

    boolean outputEmpty() {
        return out.isEmpty();
    }

    /** Writes a read's collected output; what the kernel does not take is queued. */
    void writeBatch(WriteBatch b) {
        if (state == CLOSED) {
            return;
        }
        long total = b.totalBytes();
        long written;
        try {
            written = b.count() == 1 ? socket.write(b.buffer(0), b.offset(0), b.length(0)) : socket.write(b);
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (written > 0) {
            lastActivity = loop.now;
        }
        if (written < total) {
            long skip = written;
            for (int i = 0; i < b.count(); i++) {
                int len = b.length(i);
                if (skip >= len) {
                    skip -= len;
                    continue;
                }
                out.append(b.buffer(i), b.offset(i) + (int) skip, len - (int) skip);
                skip = 0;
            }
        }
    }

    /** Stages a range of the input buffer, or queues a copy when output is already queued. */
    void queueOrStage(IoBuffer in, int offset, int length) {
        if (out.isEmpty()) {
            loop.stageInput(this, in, offset, length);
        } else {
            out.append(in, offset, length);
        }
    }

    void enqueue(byte[] src, int offset, int length) {
        out.append(src, offset, length);
    }

    void enqueue(ByteBuffer src) {
        out.append(src);
    }

    /** Flushes the queue (called when writable, or for writes made outside a read). */
    void flush() {
        if (state == CLOSED) {
            return;
        }
        try {
            while (!out.isEmpty()) {
                long w = out.flush(socket, loop.flushBatch);
                if (w == 0) {
                    break;
                }
                lastActivity = loop.now;
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        afterOutputChange();
    }

    /** Applies watermarks, finishes closing or draining, and fixes the poller interest. */
    void afterOutputChange() {
        if (state == CLOSED) {
            return;
        }
        long queued = out.bytes();
        queuedHint = queued;
        if (queued == 0 && state != OPEN && !outputShut) {
            if (inputEnded) {
                closeNow(closeReason, closeCause); // both directions done: nothing can be lost
                return;
            }
            shutOutput();
            if (state == CLOSED) {
                return;
            }
        }
        // memory (issue 14): over the server-wide budget, any queued output pauses reading too,
        // until the queue is empty or the budget has room again (output is never dropped)
        boolean overBudget = queued > 0 && loop.core.budget.isOverLimit();
        if (!readPaused && (queued > loop.config.highWatermark || overBudget)) {
            readPaused = true;
        } else if (readPaused && queued <= loop.config.lowWatermark && !overBudget) {
            readPaused = false;
        }
        updateInterest();
    }

    private void updateInterest() {
        int want = 0;
        if (state == OPEN ? !readPaused : outputShut && !inputEnded) {
            want |= Poller.READ;
        }
        if (!out.isEmpty()) {
            want |= Poller.WRITE;
        }
        if (want != interest) {
            try {
                loop.poller.modify(socket, slot, want);
                interest = want;
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    // ---- public API (any thread) -----------------------------------------------------------

    @Override
    public long id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (!loop.inLoop()) {
            byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
            inTransit.addAndGet(length);
            if (!loop.execute(() -> {
                inTransit.addAndGet(-copy.length);
                try {
                    write(copy, 0, copy.length);
                } catch (OutOfMemoryError e) {
                    outOfMemory(e); // memory (issue 14): costs this connection, not the loop
                }
            })) {
                inTransit.addAndGet(-length); // the loop is gone: so is the connection
            }
            return;
        }
        if (state != OPEN || length == 0) {
            return;
        }
        if (loop.batchOwner == this && out.isEmpty()) {
            loop.stageBytes(this, bytes, offset, length);
        } else {
            out.append(bytes, offset, length);
            outsideBatch();
        }
    }

    @Override
    public void write(ByteBuffer src) {
        if (!loop.inLoop()) {
            int length = src.remaining();
            ByteBuffer copy = ByteBuffer.allocate(length);
            copy.put(src).flip();
            inTransit.addAndGet(length);
            if (!loop.execute(() -> {
                inTransit.addAndGet(-length);
                try {
                    write(copy);
                } catch (OutOfMemoryError e) {
                    outOfMemory(e); // memory (issue 14): costs this connection, not the loop
                }
            })) {
                inTransit.addAndGet(-length);
            }
            return;
        }
        if (state != OPEN || !src.hasRemaining()) {
            src.position(src.limit());
            return;
        }
        if (loop.batchOwner == this && out.isEmpty()) {
            loop.stageBytes(this, src);
        } else {
            out.append(src);
            outsideBatch();
        }
    }

    private void outsideBatch() {
        if (loop.batchOwner != this) {
            loop.scheduleFlush(this);
        }
    }

    @Override
    public void echo() {
        if (!loop.inLoop() || loop.batchOwner != this || frameStart < 0) {
            throw new IllegalStateException("echo() is only valid inside onFrame/onPartialFrame of this connection");
        }
        if (state != OPEN) {
            return;
        }
        queueOrStage(input, frameStart, frameNext - frameStart);
    }

    @Override
    public void close() {
        if (!loop.inLoop()) {
            loop.execute(this::close);
            return;
        }
        closeGracefully(CloseReason.LOCAL, null);
    }

    @Override
    public void abort() {
        if (!loop.inLoop()) {
            loop.execute(this::abort);
            return;
        }
        closeNow(CloseReason.LOCAL, null);
    }

    @Override
    public boolean isOpen() {
        return openFlag && (!loop.inLoop() || state == OPEN);
    }

    @Override
    public long queuedBytes() {
        return (loop.inLoop() ? out.bytes() : queuedHint) + inTransit.get();
    }

    @Override
    public boolean isWritable() {
        return queuedBytes() <= loop.config.highWatermark;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    // ---- closing -------------------------------------------------------------------------

    /** Stops reading; closes once the queued output is flushed. */
    void closeGracefully(CloseReason reason, Throwable cause) {
        if (state != OPEN) {
            return;
        }
        state = CLOSING;
        openFlag = false;
        closeReason = reason;
        closeCause = cause;
        // a peer that stops reading its replies or never closes must not hold the socket
        // forever: the loop's sweep closes it after CLOSE_TIMEOUT_NANOS without progress
        loop.closingStarted();
        if (loop.batchOwner != this) {
            afterOutputChange();
        }
        // else: endBatch() sends the read's output first, then afterOutputChange() closes
    }

    /** Closes at once, dropping queued output. */
    void closeNow(CloseReason reason, Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        if (state == CLOSING) {
            loop.closingEnded();
        }
        state = CLOSED;
        openFlag = false;
        queuedHint = 0;
        socket.close();
        out.clear();
        partial.release(); // memory (issue 14)
        loop.released(this);
        loop.core.connectionClosed();
        try {
            handler.onClose(this, reason, cause);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "onClose of connection " + id + " threw", t);
        }
    }

    void closeIdle() {
        closeNow(CloseReason.IDLE, null);
    }

    /** The graceful close made no progress for {@link #CLOSE_TIMEOUT_NANOS}: give up on it. */
    void closeStalled() {
        closeNow(closeReason, closeCause);
    }

    /** The loop is ending without a drain: close, reporting SHUTDOWN. */
    void forceClose() {
        closeNow(CloseReason.SHUTDOWN, null);
    }

    /**
     * memory (issue 14): allocating on behalf of this connection failed (a queue chunk, a
     * buffer): counted, logged at most once per burst, and only this connection closes.
     */
    void outOfMemory(OutOfMemoryError e) {
        loop.core.budget.allocationFailed(this, e);
        closeNow(CloseReason.OVERLOADED, e);
    }

    /** A read, write or poller call failed: the connection is gone. */
    void fail(IOException e) {
        closeNow(socket.isConnectionReset(e) ? CloseReason.RESET : CloseReason.IO_ERROR, e);
    }

    private void framingFailed(FramingException e) {
        try {
            handler.onFramingError(this, e);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "onFramingError of connection " + id + " threw", t);
        }
        closeGracefully(CloseReason.FRAMING_ERROR, e);
    }

    private void handlerFailed(Throwable t) {
        // memory (issue 14): only a broken JVM ends the loop; OutOfMemoryError and
        // StackOverflowError from a callback cost this connection (see LoopErrors)
        LoopErrors.rethrowIfFatal(t);
        if (t instanceof OutOfMemoryError) {
            loop.core.budget.allocationFailed(this, t);
        }
        try {
            handler.onError(this, t);
        } catch (Throwable again) {
            LOG.log(Level.WARNING, "onError of connection " + id + " threw", again);
        }
        closeGracefully(CloseReason.HANDLER_ERROR, t);
    }

    // ---- draining (server shutdown) ------------------------------------------------------

    /**
     * Server shutdown: stop handling input (complete frames already read were handled when
     * read), drop any partial frame, flush the queue, then send FIN and discard input until
     * the peer closes, so no RST destroys replies still in flight.
     */
    void beginDrain() {
        partial.release(); // memory (issue 14)
        if (state == CLOSED) {
            return;
        }
        if (state == OPEN) {
            closeReason = CloseReason.SHUTDOWN;
        } else if (state == CLOSING) {
            loop.closingEnded(); // a CLOSING connection keeps its reason; the coordinator times it
        }
        state = DRAINING;
        openFlag = false;
        readPaused = false;
        afterOutputChange();
    }

    /** @return bytes of the partial frame {@link #beginDrain()} will discard */
    long drainedPartialBytes() {
        return partial.length(); // memory (issue 14)
    }

    private void shutOutput() {
        try {
            socket.shutdownOutput();
            outputShut = true;
        } catch (IOException e) {
            fail(e);
        }
    }

    /** After our FIN: read and drop whatever the peer still sends, until its FIN. */
    private void discardInput() {
        IoBuffer in = loop.in;
        try {
            for (int i = 0; i < 16; i++) {
                int n = socket.read(in, 0, in.capacity());
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    inputEnded = true;
                    closeNow(closeReason, closeCause);
                    return;
                }
                discardedBytes += n;
                lastActivity = loop.now;
            }
        } catch (IOException e) {
            // the peer reset instead of closing: the close is over, with the reason we had
            closeNow(closeReason, closeCause != null ? closeCause : e);
        }
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + remote + "]";
    }
}
