// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.codec.FramingException;
import java.lang.System.Logger.Level;

/**
 * The loop's calls into a connection's handler outside of its frames ({@code onOpen},
 * {@code onDrain}, {@code onWritabilityChanged}, {@code onFramingError}) and what a handler's exception costs:
 * {@code onError}, its reserved reply places released, a graceful close. Only a broken JVM ends
 * the loop (see {@link LoopErrors}). Loop thread only.
 */
final class HandlerCalls {
    private HandlerCalls() {}

    /** The connection is open (accepted, or its outbound connect succeeded): {@code onOpen}. */
    static void opened(LoopConnection c, boolean outbound) {
        c.handle.opened(c.socket.remoteAddress(), c.socket.localAddress());
        ConnectionEvents.opened(c, outbound);
        try {
            c.handler.onOpen(c.handle);
        } catch (Throwable t) {
            handlerFailed(c, t);
        }
    }

    /** A drain reached the connection while it is open: {@code onDrain}, before the drain looks at what it owes. */
    static void drainStarting(LoopConnection c) {
        try {
            c.handler.onDrain(c.handle);
        } catch (Throwable t) {
            handlerFailed(c, t);
        }
    }

    /** Writability changed: tell the handler. */
    static void writabilityChanged(LoopConnection c) {
        try {
            c.handler.onWritabilityChanged(c.handle);
        } catch (Throwable t) {
            handlerFailed(c, t);
        }
    }

    /** The framing refused the input: {@code onFramingError} (it may reply), then close. */
    static void framingFailed(LoopConnection c, FramingException e) {
        c.loop.stats.increment(LoopStats.FRAMING_ERRORS);
        try {
            c.handler.onFramingError(c.handle, e);
        } catch (Throwable t) {
            LoopLog.LOG.log(Level.WARNING, "onFramingError of connection " + c.id + " threw", t);
        }
        c.closeGracefully(CloseReason.FRAMING_ERROR, e);
    }

    /** A callback threw: {@code onError}, the reserved places released, then close. */
    static void handlerFailed(LoopConnection c, Throwable t) {
        // only a broken JVM ends the loop; OutOfMemoryError and StackOverflowError from a
        // callback cost this connection (see LoopErrors)
        LoopErrors.rethrowIfFatal(t);
        if (t instanceof OutOfMemoryError) {
            c.loop.core.budget.allocationFailed(c, t);
        }
        try {
            c.handler.onError(c.handle, t);
        } catch (Throwable again) {
            LoopLog.LOG.log(Level.WARNING, "onError of connection " + c.id + " threw", again);
        }
        c.output.order.dropPending(); // an exception releases the reserved places, as abandon() does
        c.output.releaseSettled();
        c.closeGracefully(CloseReason.HANDLER_ERROR, t);
    }
}
