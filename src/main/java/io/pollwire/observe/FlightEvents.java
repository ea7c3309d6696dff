// SPDX-License-Identifier: Apache-2.0
package io.pollwire.observe;

import java.net.SocketAddress;
import java.util.Optional;

/**
 * pollwire's Java Flight Recorder events, safe to call whether or not the runtime has
 * {@code jdk.jfr}: whether it does (and this module reads it) is decided once, when this class
 * is initialised, and without it every method returns at once and {@link JfrEvents}, the only
 * class that names {@code jdk.jfr}, is never loaded (a {@code jlink} image without the module,
 * or the module path without {@code --add-modules jdk.jfr}; {@code -XX:StartFlightRecording}
 * adds it). With it, each method costs a check that the Flight Recorder is initialised, then one
 * of whether a recording wants the event; only then are strings made. Nothing here is called per frame: events mark a connection's open and
 * close, an accept back-off and the phases of a shutdown.
 *
 * <p>The events, all in category {@code pollwire} ({@code jfr print --events 'pollwire.*'
 * recording.jfr}, {@code jfr summary}): {@code pollwire.ConnectionOpened},
 * {@code pollwire.ConnectionClosed}, {@code pollwire.AcceptBackoff},
 * {@code pollwire.ListenersClosed}, {@code pollwire.DrainStarted},
 * {@code pollwire.DrainFinished}. Thread-safe; events carry the thread that emitted them.
 */
public final class FlightEvents {
    private static final boolean AVAILABLE = detect();

    private FlightEvents() {}

    private static boolean detect() {
        try {
            Optional<Module> jfr = ModuleLayer.boot().findModule("jdk.jfr");
            return jfr.isPresent() && FlightEvents.class.getModule().canRead(jfr.get()) && JfrEvents.load();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Called when a server or client starts, so that this class is initialised then rather than
     * at the first connection.
     *
     * @return true when {@code jdk.jfr} is there and the events can be recorded
     */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * A connection opened: accepted, or an outbound connect succeeded.
     *
     * @param id the connection's id ({@code Connection.id()})
     */
    public static void connectionOpened(long id, boolean outbound, SocketAddress remote, SocketAddress local) {
        if (AVAILABLE) {
            JfrEvents.connectionOpened(id, outbound, remote, local);
        }
    }

    /**
     * A connection closed (its handler's {@code onClose} is next).
     *
     * @param reason the {@code CloseReason}'s name
     * @param cause the error it closed on, or null
     */
    public static void connectionClosed(long id, SocketAddress remote, SocketAddress local, String reason,
            Throwable cause) {
        if (AVAILABLE) {
            JfrEvents.connectionClosed(id, remote, local, reason, cause);
        }
    }

    /**
     * Accepting failed (out of descriptors or memory): the listener is paused.
     *
     * @param backoffNanos how long before accepting is tried again
     * @param error what accept failed with
     */
    public static void acceptBackoff(SocketAddress listener, long backoffNanos, String error) {
        if (AVAILABLE) {
            JfrEvents.acceptBackoff(listener, backoffNanos, error);
        }
    }

    /**
     * Shutdown phase 1 done: the listeners are closed (new connections are refused).
     *
     * @param server the server's name (its thread-name prefix)
     * @param sinceStartNanos time from the shutdown call to now
     */
    public static void listenersClosed(String server, long sinceStartNanos) {
        if (AVAILABLE) {
            JfrEvents.listenersClosed(server, sinceStartNanos);
        }
    }

    /**
     * Shutdown phase 2 done: every loop's connections entered the drain.
     *
     * @param connections connections draining (idle ones close at once)
     * @param partialFrameBytes bytes of unfinished frames dropped
     */
    public static void drainStarted(String server, int connections, long partialFrameBytes) {
        if (AVAILABLE) {
            JfrEvents.drainStarted(server, connections, partialFrameBytes);
        }
    }

    /** The shutdown is over: the report's counts (see {@code ShutdownReport} for each). */
    public static void drainFinished(String server, int openAtStart, int idleClosed, int drainedWithReplies,
            int forced, int repliesAbandoned, long partialFrameBytesDiscarded, long inputBytesDiscarded,
            long elapsedNanos, boolean timedOut) {
        if (AVAILABLE) {
            JfrEvents.drainFinished(server, openAtStart, idleClosed, drainedWithReplies, forced, repliesAbandoned,
                    partialFrameBytesDiscarded, inputBytesDiscarded, elapsedNanos, timedOut);
        }
    }
}
