// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.ConnectionHandler;
import io.pollwire.ServerBusyException;
import io.pollwire.codec.FrameBatch;
import io.pollwire.codec.Framer;
import io.pollwire.codec.Framing;
import io.pollwire.codec.FramingException;
import io.pollwire.transport.IoBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The input side of one connection: read into the loop's shared buffer (or the connection's
 * own, see {@link PartialFrame}), cut the bytes into frames, hand them to the handler a batch at
 * a time, keep the partial frame (in memory proportional to it, within the server's
 * {@link MemoryBudget}, or the connection is shed), and tell the handler of a frame cut short by
 * the peer's FIN. Loop thread only.
 */
final class ConnectionInput {
    private final LoopConnection c;
    private final EventLoop loop;
    private final Framer framer;
    private final ConnectionHandler handler;
    private final PartialFrame partial;
    /** The buffer being processed: the loop's shared one or the partial frame's own; its view. */
    private IoBuffer input;
    private ByteBuffer inputView;
    /** The frame being handled, for {@code echo()}: [frameStart, frameNext) of the input. */
    private int frameStart = -1;
    private int frameNext;
    private boolean ended;

    /** @param framing this connection's (the server's, or an outbound connection's own) */
    ConnectionInput(LoopConnection c, Framing framing) {
        this.c = c;
        this.loop = c.loop;
        this.framer = framing.newFramer();
        this.handler = c.handler;
        this.partial = new PartialFrame(loop.core.budget, framing.maxFrameBytes());
    }

    /** Reads what the socket has and processes it; end of stream starts a graceful close. */
    void read() {
        int base = partial.beforeRead(loop.in); // the partial frame in place, grown if need be
        if (base < 0) {
            shed();
            return;
        }
        IoBuffer src = partial.readBuffer(loop.in);
        int n;
        try {
            n = c.socket.read(src, base, src.capacity() - base);
        } catch (IOException e) {
            c.fail(e);
            return;
        }
        if (n == 0) {
            return;
        }
        input = src;
        inputView = partial.viewOf(src, loop.inView);
        if (n < 0) {
            endOfStream(base);
            return;
        }
        c.touch();
        loop.stats.add(LoopStats.BYTES_READ, n);
        process(base + n);
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
        l.replies.begin(c.output);
        int pos = 0;
        try {
            while (c.isServing() && pos < end) {
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
                handler.onFrames(c.handle, frames);
                // after the handler, and only what it listed: counting a range it passed back
                // whole (Frames.echoAll) would be a pass over every byte, ~20% of the echo
                // path's CPU (measured with benchmarks/run.sh, pipelined)
                l.stats.add(LoopStats.FRAMES, batch.listedCount());
                pos = next;
            }
        } catch (FramingException e) {
            frameStart = -1;
            HandlerCalls.framingFailed(c, e);
            pos = end;
        } catch (Throwable t) {
            frameStart = -1;
            HandlerCalls.handlerFailed(c, t);
            pos = end;
        } finally {
            frames.unbind();
        }
        frameStart = -1;
        // Send first: the output may point into the input buffer, and keeping the partial frame
        // can move bytes within the connection's own buffer.
        l.replies.end(c.output);
        try {
            if (!partial.keepRest(input, pos, end, c.isServing(), framer)) {
                shed();
            }
        } catch (IOException e) {
            c.fail(e);
        }
    }

    /**
     * The budget (or the allocator) refused room for the partial frame: it is dropped, the
     * handler hears a {@link ServerBusyException} (by default it replies {@code ERR server
     * busy}), then the connection closes gracefully with OVERLOADED.
     */
    private void shed() {
        partial.release();
        OutOfMemoryError oom = partial.failure();
        if (oom != null) {
            loop.core.budget.allocationFailed(c, oom);
        } else {
            loop.core.budget.connectionShed(c, partial.refusedBytes());
        }
        try {
            handler.onFramingError(c.handle, new ServerBusyException());
        } catch (Throwable t) {
            LoopErrors.rethrowIfFatal(t); // a failing reply does not change the outcome
        }
        if (!c.output.isEmpty()) {
            c.output.flush(); // send the reply now: its queue chunk goes back at once, not after the burst
        }
        c.closeGracefully(CloseReason.OVERLOADED, oom);
    }

    /**
     * @return the buffer behind {@code view} when it is the view this connection handed its
     *     handler for the frame being handled (its bytes {@code [position, limit)} are then those
     *     of the buffer), else null
     */
    IoBuffer frameBuffer(ByteBuffer view) {
        return view == inputView && frameStart >= 0 ? input : null;
    }

    /** Makes {@code [streamStart, next)} of the input the frame {@code echo()} sends back. */
    void selectFrame(int streamStart, int next) {
        frameStart = streamStart;
        frameNext = next;
    }

    /** @return true while a frame is being handled (inside onFrames/onPartialFrame) */
    boolean hasFrame() {
        return frameStart >= 0;
    }

    /** Sends the selected frame back as it arrived. */
    void echoFrame() {
        c.output.queueOrStage(input, frameStart, frameNext - frameStart);
    }

    /** Sends {@code [from, to)} of the input back as it arrived (frames, delimiters included). */
    void echoRange(int from, int to) {
        if (c.isServing()) {
            c.output.queueOrStage(input, from, to - from);
        }
    }

    private void endOfStream(int partialLength) {
        ended = true;
        if (partialLength > 0 && c.isServing()) {
            loop.replies.begin(c.output);
            frameStart = 0;
            frameNext = partialLength;
            try {
                handler.onPartialFrame(c.handle, view(0, partialLength));
            } catch (Throwable t) {
                HandlerCalls.handlerFailed(c, t);
            }
            frameStart = -1;
            loop.replies.end(c.output);
        }
        partial.clear();
        HalfClosure.peerClosed(c);
    }

    /** @return true once the peer's FIN (end of stream) was read */
    boolean ended() {
        return ended;
    }

    /** The peer's FIN arrived while input was being discarded. */
    void markEnded() {
        ended = true;
    }

    /** @return bytes of the partial frame kept */
    long partialBytes() {
        return partial.length();
    }

    /** Drops the partial frame and its buffers: no more input will be handled. */
    void release() {
        partial.release();
    }
}
