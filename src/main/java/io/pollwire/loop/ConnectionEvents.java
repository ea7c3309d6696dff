// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.observe.FlightEvents;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;

/**
 * What a loop tells the outside about a connection's life, in one place per event: the loop's
 * {@link LoopStats}, a DEBUG line on {@code io.pollwire.loop} and a JFR event
 * ({@link FlightEvents}). The DEBUG lines are built only after {@code isLoggable(DEBUG)}: when it
 * is off, an event costs a counter and two flag checks, and nothing is allocated. None of this
 * runs per frame. Loop thread only.
 */
final class ConnectionEvents {
    private ConnectionEvents() {}

    private static boolean debug() {
        return LoopLog.LOG.isLoggable(Level.DEBUG);
    }

    /** Accepted, or an outbound connect succeeded; before {@code onOpen}. */
    static void opened(LoopConnection c, boolean outbound) {
        if (outbound) {
            c.loop.stats.increment(LoopStats.OUTBOUND_OPENED);
        }
        SocketAddress remote = c.handle.remoteAddress();
        SocketAddress local = c.handle.localAddress();
        if (debug()) {
            LoopLog.safely(Level.DEBUG, "connection " + c.id + (outbound ? " connected" : " accepted")
                    + " on " + c.loop + ": remote " + remote + ", local " + local, null);
        }
        FlightEvents.connectionOpened(c.id, outbound, remote, local);
    }

    /** The connection closed; before {@code onClose}. */
    static void closed(LoopConnection c, CloseReason reason, Throwable cause) {
        c.loop.stats.closed(reason);
        if (debug()) {
            LoopLog.safely(Level.DEBUG, "connection " + c.id + " closed: " + reason
                    + (cause != null ? " (" + cause + ")" : ""), null);
        }
        FlightEvents.connectionClosed(c.id, c.handle.remoteAddress(), c.handle.localAddress(), reason.name(), cause);
    }

    /** An outbound connect failed: the connection never opened. */
    static void connectFailed(LoopConnection c, Throwable cause) {
        c.loop.stats.increment(LoopStats.OUTBOUND_FAILED);
        if (debug()) {
            LoopLog.safely(Level.DEBUG, "connection " + c.id + " connect failed: " + cause, null);
        }
    }

    /** The drain reached the connection: idle (FIN at once) or owed something (wait for it). */
    static void draining(LoopConnection c, boolean owed) {
        if (debug()) {
            LoopLog.safely(Level.DEBUG, "connection " + c.id + " draining: " + (owed
                    ? "waiting for " + c.output.order.outstanding() + " deferred replies and "
                            + c.output.bytes() + " queued bytes"
                    : "idle, FIN now"), null);
        }
    }

    /** The drain timed out: the connection is forced, its outstanding replies given up. */
    static void forced(LoopConnection c, int repliesAbandoned) {
        if (debug()) {
            LoopLog.safely(Level.DEBUG, "connection " + c.id + " forced at the drain timeout ("
                    + repliesAbandoned + " deferred replies abandoned)", null);
        }
    }

    /** Accepting failed: the listener pauses for {@code backoffNanos}. */
    static void acceptBackoff(EventLoop loop, SocketAddress listener, long backoffNanos, Exception error) {
        loop.stats.increment(LoopStats.ACCEPT_BACKOFFS);
        if (debug()) {
            LoopLog.safely(Level.DEBUG, "accept on " + listener + " paused for " + backoffNanos / 1_000_000
                    + " ms: " + error.getMessage(), null);
        }
        FlightEvents.acceptBackoff(listener, backoffNanos, String.valueOf(error.getMessage()));
    }
}
