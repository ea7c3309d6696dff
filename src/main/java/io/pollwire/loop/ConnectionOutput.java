// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The output side of one connection: writes made on the loop (staged in the loop's
 * {@link ReplyBatch} during the connection's own read, else queued), the bytes the kernel has
 * not taken yet ({@link OutboundQueue}), the reserved places of deferred replies and the bytes
 * held behind them ({@link ReplyOrder}), our FIN once a closing connection owes nothing more,
 * and the poller interest that follows (Netty's {@code ChannelOutboundBuffer} keeps the same
 * apart from the channel). When the output pauses reading and makes the connection unwritable
 * is decided in {@link OutputPauses}. Loop thread only, except {@link #queuedHint()},
 * {@link #isWritable()} and {@link #markUnwritable()}.
 *
 * <p>Every write made on the loop first applies the connection's {@link Handoff} (writes other
 * threads made before it), then goes behind the last outstanding reserved place if there is
 * one, else out: that is what makes write order happens-before order.
 */
final class ConnectionOutput extends OutputPauses implements ReplyOrder.Sink {
    private final LoopConnection c;
    private final EventLoop loop;
    private final OutboundQueue queue;
    final ReplyOrder order = new ReplyOrder();
    /** Our FIN has been sent. */
    private boolean shut;
    private int interest = Poller.READ;
    private volatile long queuedHint;

    ConnectionOutput(LoopConnection c) {
        super(c.loop.config, c.loop.core.budget);
        this.c = c;
        this.loop = c.loop;
        this.queue = new OutboundQueue(loop.chunkPool, loop.stats);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** @return queued bytes, held ones included; loop thread */
    long bytes() {
        return queue.bytes() + order.heldBytes();
    }

    /** @return queued and held bytes as of the last change, for other threads */
    long queuedHint() {
        return queuedHint;
    }

    /** @return true while the connection is owed output: queued, held, reserved or in transit */
    boolean owed() {
        return !queue.isEmpty() || order.holding() || c.handle.handoff.inTransit.get() != 0;
    }

    /** @return true when the connection closed (a write failure closes it) */
    boolean connectionClosed() {
        return c.isClosed();
    }

    // ---- writes (loop thread) -----------------------------------------------------------------

    /**
     * A write made on the loop: after what other threads handed over before it, behind the last
     * reserved place if any.
     *
     * @return false when the output is closed and the bytes were dropped
     */
    boolean write(byte[] bytes, int offset, int length) {
        c.handle.applyHandoff();
        if (!c.acceptsWrites()) {
            return false;
        }
        writeInOrder(bytes, offset, length);
        return true;
    }

    /** As {@link #write(byte[], int, int)}, for the remaining bytes of {@code src}. */
    boolean write(ByteBuffer src) {
        c.handle.applyHandoff();
        if (!c.acceptsWrites()) {
            src.position(src.limit());
            return false;
        }
        if (!src.hasRemaining()) {
            return true;
        }
        IoBuffer frame;
        if (order.holding()) {
            order.hold(src);
            outsideBatch();
        } else if (loop.replies.ownedBy(this) && queue.isEmpty()) {
            loop.replies.stageBytes(this, src);
        } else if (queue.isEmpty() && !c.isConnecting() && (frame = loop.replies.inputBehind(src)) != null) {
            writeThrough(frame, src.position(), src.remaining());
            src.position(src.limit());
            outsideBatch(); // settles the output before the next poll (a closing one's FIN)
        } else {
            queue.append(src);
            outsideBatch();
        }
        return true;
    }

    /**
     * Another connection's frame, written to this one while that connection's read is being
     * handled (a proxy forwarding what it read): straight from the input buffer to the socket,
     * with nothing queued before it, and only what the kernel does not take is copied into the
     * queue. Queued instead, every forwarded read cost a copy of all its bytes and a gathering
     * write over the queue's chunks.
     */
    private void writeThrough(IoBuffer in, int offset, int length) {
        // the loop's flush batch is free here: OutboundQueue.flush fills and clears it without
        // calling out, so no handler (this caller's is one) runs while it is in use
        WriteBatch one = loop.flushBatch;
        one.add(in, offset, length);
        writeBatch(one);
        one.clear();
    }

    /** @return the input buffer behind {@code view} if it is this connection's frame being handled */
    IoBuffer frameBuffer(ByteBuffer view) {
        return c.input.frameBuffer(view);
    }

    /** Bytes already in order (a hand-off item, or checked by the caller): held or sent. */
    void writeInOrder(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (order.holding()) {
            order.hold(bytes, offset, length);
            queuedHint = queue.bytes() + order.heldBytes();
            outsideBatch();
        } else {
            emit(bytes, offset, length);
        }
    }

    /** Sends bytes whose turn has come: staged during the connection's read, else queued. */
    @Override
    public void emit(byte[] bytes, int offset, int length) {
        if (loop.replies.ownedBy(this) && queue.isEmpty()) {
            loop.replies.stageBytes(this, bytes, offset, length);
        } else {
            queue.append(bytes, offset, length);
            queuedHint = queue.bytes() + order.heldBytes();
            outsideBatch();
        }
    }

    /** A new reserved place: later writes wait behind it. */
    void reserve(ReservedReply r) {
        order.reserve(r);
        outsideBatch(); // the cap is checked when the output settles
    }

    /** Sends the settled places at the front of the order and what was held behind them. */
    void releaseSettled() {
        order.release(this);
        outsideBatch();
    }

    private void outsideBatch() {
        if (!loop.replies.ownedBy(this)) {
            loop.flushes.add(c);
        }
    }

    /** Stages a range of the input buffer (an echo), or queues or holds a copy. */
    void queueOrStage(IoBuffer in, int offset, int length) {
        c.handle.applyHandoff();
        if (order.holding()) {
            order.hold(in, offset, length);
        } else if (queue.isEmpty()) {
            loop.replies.stageInput(this, in, offset, length);
        } else {
            queue.append(in, offset, length);
        }
    }

    void enqueue(byte[] src, int offset, int length) {
        queue.append(src, offset, length);
    }

    void enqueue(ByteBuffer src) {
        queue.append(src);
    }

    /** Writes a read's collected output; what the kernel does not take is queued. */
    void writeBatch(WriteBatch b) {
        if (c.isClosed()) {
            return;
        }
        long total = b.totalBytes();
        long written;
        try {
            written = b.count() == 1 ? c.socket.write(b.buffer(0), b.offset(0), b.length(0)) : c.socket.write(b);
        } catch (IOException e) {
            c.fail(e);
            return;
        }
        if (written > 0) {
            c.touch();
            loop.stats.add(LoopStats.BYTES_WRITTEN, written);
        }
        if (written < total) {
            long skip = written;
            for (int i = 0; i < b.count(); i++) {
                int len = b.length(i);
                if (skip >= len) {
                    skip -= len;
                    continue;
                }
                queue.append(b.buffer(i), b.offset(i) + (int) skip, len - (int) skip);
                skip = 0;
            }
        }
    }

    /** Flushes the queue (called when writable, or for writes made outside a read). */
    void flush() {
        if (c.isClosed()) {
            return;
        }
        try {
            while (!queue.isEmpty()) {
                long w = queue.flush(c.socket, loop.flushBatch);
                if (w == 0) {
                    break;
                }
                c.touch();
                loop.stats.add(LoopStats.BYTES_WRITTEN, w);
            }
        } catch (IOException e) {
            c.fail(e);
            return;
        }
        afterChange();
    }

    /**
     * Applies watermarks and the deferred-reply cap, sends our FIN once a closing connection owes
     * nothing more (or closes it when the peer's FIN came too), fixes the poller interest and
     * tells the handler when writability changed.
     */
    @Override
    void afterChange() {
        if (c.isClosed()) {
            return;
        }
        long queued = queue.bytes() + order.heldBytes();
        queuedHint = queued;
        if (c.outputEnding() && !shut && !owed()) {
            if (c.input.ended()) {
                c.finishClose(null); // both directions done: nothing can be lost
                return;
            }
            shutOutput();
            if (c.isClosed()) {
                return;
            }
        } else if (shut && !c.isServing() && c.input.ended()) {
            c.finishClose(null); // our FIN (shutdownOutput) and the peer's are both out: done
            return;
        }
        updatePauses(queued, queued + c.handle.handoff.inTransit.get(), order.outstanding());
        updateInterest();
        if (!c.isClosed() && takeWritabilityChange()) {
            HandlerCalls.writabilityChanged(c);
        }
    }

    /** @return true once our FIN is sent */
    boolean isShut() {
        return shut;
    }

    private void shutOutput() {
        try {
            c.socket.shutdownOutput();
            shut = true;
        } catch (IOException e) {
            c.fail(e);
            return;
        }
        c.finSent();
    }

    private void updateInterest() {
        int want = 0;
        if (!c.input.ended() && (c.isServing() ? !readingPaused() : shut)) {
            want |= Poller.READ;
        }
        if (!queue.isEmpty()) {
            want |= Poller.WRITE;
        }
        if (want != interest) {
            try {
                loop.poller.modify(c.socket, c.slot, want);
                interest = want;
            } catch (IOException e) {
                c.fail(e);
            }
        }
    }

    /** @return true when the poller watches the socket for reading */
    boolean readInterest() {
        return (interest & Poller.READ) != 0;
    }

    /**
     * Drops everything queued and held: the connection closed.
     *
     * @return deferred replies that were still pending (given up now)
     */
    int clear() {
        queuedHint = 0;
        queue.clear();
        return order.dropAll();
    }
}
