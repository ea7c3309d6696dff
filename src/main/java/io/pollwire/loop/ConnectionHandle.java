// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.DeferredReply;
import io.pollwire.codec.Framing;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link Connection} the application holds: callable from any thread. On the loop thread
 * each call goes straight to the connection, after applying what other threads handed over
 * before it; from another thread, writes are copied into the connection's ordered
 * {@link Handoff} (and count in {@link #queuedBytes()} on their way), and reserved replies,
 * closes, pauses and executor tasks go the same way, so they take effect in the order they
 * happened. What other threads read without a hop (open flag, queued-bytes hint, writability,
 * addresses, attachment) is published here.
 */
final class ConnectionHandle implements Connection {
    private final LoopConnection c;
    private final EventLoop loop;
    /** Operations from other threads, applied on the loop in order. */
    final Handoff handoff;
    private final Executor executor = this::runOnLoop;
    private final long highWatermark;
    /** close() or abort() was called: later writes are refused at once, on any thread. */
    private volatile boolean closeCalled;
    private volatile boolean openFlag = true;
    private volatile Object attachment;
    private SocketAddress remote;
    private SocketAddress local;

    ConnectionHandle(LoopConnection c) {
        this.c = c;
        this.loop = c.loop;
        this.handoff = new Handoff(loop);
        this.highWatermark = loop.config.highWatermark();
    }

    /** The connection is registered: its addresses are known. Loop thread, before onOpen. */
    void opened(SocketAddress remote, SocketAddress local) {
        this.remote = remote;
        this.local = local;
    }

    /** The connection stopped being open (closing, draining or closed). */
    void markNotOpen() {
        openFlag = false;
    }

    @Override
    public long id() {
        return c.id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, Framing framing, ConnectionHandler handler) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(handler, "handler");
        LoopConfig config = loop.config;
        return Connector.connect(loop, address, framing, handler, config.socketOptions(), config.connectTimeoutNanos(), c);
    }

    @Override
    public boolean write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    @Override
    public boolean write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (loop.inLoop()) {
            return c.output.write(bytes, offset, length);
        }
        return offer(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    @Override
    public boolean write(ByteBuffer src) {
        if (loop.inLoop()) {
            return c.output.write(src);
        }
        byte[] copy = new byte[src.remaining()];
        src.get(copy);
        return offer(copy);
    }

    /** A write from another thread: into the hand-off, counted in transit until applied. */
    private boolean offer(byte[] copy) {
        if (closeCalled || !handoff.offer(copy, copy.length)) {
            return false;
        }
        if (queuedBytes() > highWatermark && c.output.markUnwritable()) {
            handoff.wake(); // the loop may have looked already: it must see the flip and answer it
        }
        return true;
    }

    @Override
    public DeferredReply deferReply() {
        if (loop.inLoop()) {
            applyHandoff();
            ReservedReply r = new ReservedReply(handoff, c.acceptsWrites() ? ReservedReply.PENDING : ReservedReply.DROPPED);
            if (!r.isDone()) {
                c.output.reserve(r);
            }
            return r;
        }
        ReservedReply r = new ReservedReply(handoff, closeCalled ? ReservedReply.DROPPED : ReservedReply.PENDING);
        if (!r.isDone() && !handoff.offer(r, 0)) {
            r.drop();
        }
        return r;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    /** Tasks go through the hand-off (in order with the writes), or straight to the loop once it is closed. */
    private void runOnLoop(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!handoff.offer(task, 0) && !loop.execute(task)) {
            throw new RejectedExecutionException("the event loop of " + this + " has stopped");
        }
    }

    @Override
    public Future<Void> schedule(Duration delay, Runnable task) {
        LoopTimerTask timer = new LoopTimerTask(Objects.requireNonNull(task, "task"));
        long nanos = Math.max(0, delay.toNanos());
        if (loop.inLoop()) {
            loop.timers.schedule(nanos, timer);
        } else if (!loop.execute(() -> loop.timers.schedule(nanos, timer))) {
            throw new RejectedExecutionException("the event loop of " + this + " has stopped");
        }
        return timer;
    }

    @Override
    public void pauseReading() {
        control(Handoff.Op.PAUSE_READING);
    }

    @Override
    public void resumeReading() {
        control(Handoff.Op.RESUME_READING);
    }

    @Override
    public void pauseReadingWhenUnwritable(boolean pause) {
        control(pause ? Handoff.Op.WATERMARK_PAUSES : Handoff.Op.WATERMARK_IGNORED);
    }

    private void control(Handoff.Op op) {
        if (loop.inLoop()) {
            applyHandoff();
            c.handoffOps.apply(op);
        } else if (!handoff.offer(op, 0) && (op == Handoff.Op.CLOSE || op == Handoff.Op.ABORT)) {
            loop.execute(() -> c.handoffOps.apply(op)); // the connection is closed already, or the loop gone
        }
    }

    /** Applies, on the loop, what other threads handed over so far: before any loop-side operation. */
    void applyHandoff() {
        if (handoff.pending()) {
            handoff.drain();
        }
    }

    @Override
    public void echo() {
        if (!loop.inLoop() || !loop.replies.ownedBy(c.output) || !c.input.hasFrame()) {
            throw new IllegalStateException("echo() is only valid inside onFrame/onPartialFrame of this connection");
        }
        if (c.isServing()) {
            c.input.echoFrame();
        }
    }

    @Override
    public void close() {
        closeCalled = true;
        openFlag = false;
        control(Handoff.Op.CLOSE);
    }

    @Override
    public void shutdownOutput() {
        control(Handoff.Op.SHUTDOWN_OUTPUT);
    }

    @Override
    public void abort() {
        closeCalled = true;
        openFlag = false;
        control(Handoff.Op.ABORT);
    }

    @Override
    public boolean isOpen() {
        return openFlag && (!loop.inLoop() || c.isServing());
    }

    @Override
    public long queuedBytes() {
        return (loop.inLoop() ? c.output.bytes() : c.output.queuedHint()) + handoff.inTransit.get();
    }

    @Override
    public boolean isWritable() {
        return c.output.isWritable();
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

    @Override
    public String toString() {
        return c.toString();
    }
}
