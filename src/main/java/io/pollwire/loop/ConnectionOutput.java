package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The output side of one connection: writes made on the loop (staged in the loop's
 * {@link ReplyBatch} during the connection's own read, else queued), the bytes the kernel has
 * not taken yet ({@link OutboundQueue}), the watermarks that pause reading (Netty's
 * {@code ChannelOutboundBuffer} keeps the same apart from the channel), our FIN once a closing
 * connection has sent everything, and the poller interest that follows. Loop thread only,
 * except {@link #queuedHint()}.
 */
final class ConnectionOutput {
    private final LoopConnection c;
    private final EventLoop loop;
    private final OutboundQueue queue;
    private final long highWatermark;
    private final long lowWatermark;
    private boolean readPaused;
    /** Our FIN has been sent. */
    private boolean shut;
    private int interest = Poller.READ;
    private volatile long queuedHint;

    ConnectionOutput(LoopConnection c) {
        this.c = c;
        this.loop = c.loop;
        this.queue = new OutboundQueue(loop.chunkPool);
        this.highWatermark = loop.config.highWatermark();
        this.lowWatermark = loop.config.lowWatermark();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** @return queued bytes; loop thread */
    long bytes() {
        return queue.bytes();
    }

    /** @return queued bytes as of the last change, for other threads */
    long queuedHint() {
        return queuedHint;
    }

    /** @return true when the connection closed (a write failure closes it) */
    boolean connectionClosed() {
        return c.isClosed();
    }

    /** Writes from the loop thread: staged during the connection's read, else queued. */
    void write(byte[] bytes, int offset, int length) {
        if (!c.isServing() || length == 0) {
            return;
        }
        if (loop.replies.ownedBy(this) && queue.isEmpty()) {
            loop.replies.stageBytes(this, bytes, offset, length);
        } else {
            queue.append(bytes, offset, length);
            outsideBatch();
        }
    }

    /** Writes from the loop thread: staged during the connection's read, else queued. */
    void write(ByteBuffer src) {
        if (!c.isServing() || !src.hasRemaining()) {
            src.position(src.limit());
            return;
        }
        if (loop.replies.ownedBy(this) && queue.isEmpty()) {
            loop.replies.stageBytes(this, src);
        } else {
            queue.append(src);
            outsideBatch();
        }
    }

    private void outsideBatch() {
        if (!loop.replies.ownedBy(this)) {
            loop.flushes.add(c);
        }
    }

    /** Stages a range of the input buffer, or queues a copy when output is already queued. */
    void queueOrStage(IoBuffer in, int offset, int length) {
        if (queue.isEmpty()) {
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
            }
        } catch (IOException e) {
            c.fail(e);
            return;
        }
        afterChange();
    }

    /** Applies watermarks, finishes closing or draining, and fixes the poller interest. */
    void afterChange() {
        if (c.isClosed()) {
            return;
        }
        long queued = queue.bytes();
        queuedHint = queued;
        if (queued == 0 && !c.isServing() && !shut) {
            if (c.input.ended()) {
                c.finishClose(); // both directions done: nothing can be lost
                return;
            }
            shutOutput();
            if (c.isClosed()) {
                return;
            }
        }
        if (!readPaused && queued > highWatermark) {
            readPaused = true;
        } else if (readPaused && queued <= lowWatermark) {
            readPaused = false;
        }
        updateInterest();
    }

    /** A drain reads only to discard input: the watermarks no longer hold reading back. */
    void resumeReading() {
        readPaused = false;
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
        }
    }

    private void updateInterest() {
        int want = 0;
        if (c.isServing() ? !readPaused : shut && !c.input.ended()) {
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

    /** Drops everything queued: the connection closed. */
    void clear() {
        queuedHint = 0;
        queue.clear();
    }
}
