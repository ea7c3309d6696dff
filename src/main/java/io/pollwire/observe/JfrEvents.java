// SPDX-License-Identifier: Apache-2.0
package io.pollwire.observe;

import java.net.SocketAddress;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event types and their emission; loaded only when {@link FlightEvents} found
 * {@code jdk.jfr}. Until the Flight Recorder is initialised (a recording started, by
 * {@code -XX:StartFlightRecording}, {@code jcmd JFR.start} or the {@code Recording} API) an
 * emitter returns after one static read and no event class is loaded: on JDK 17 the first
 * event object made initialises JFR's metadata, some 100 ms, which a process that records
 * nothing must not pay at its first connection. Then each emitter asks the event whether a
 * recording wants it before filling in any field (the JDK's own pattern: the event object is
 * small and, when the check fails, never escapes). No stack traces: the emitting thread (a
 * loop, or the shutdown thread) says enough.
 */
final class JfrEvents {
    private JfrEvents() {}

    /**
     * Loads this class and {@code FlightRecorder} (a few ms), so that the first connection does
     * not pay for it.
     *
     * @return true
     */
    static boolean load() {
        return FlightRecorder.isInitialized() || true;
    }

    static void connectionOpened(long id, boolean outbound, SocketAddress remote, SocketAddress local) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ConnectionOpened e = new ConnectionOpened();
        if (e.shouldCommit()) {
            e.id = id;
            e.outbound = outbound;
            e.remote = String.valueOf(remote);
            e.local = String.valueOf(local);
            e.commit();
        }
    }

    static void connectionClosed(long id, SocketAddress remote, SocketAddress local, String reason, Throwable cause) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ConnectionClosed e = new ConnectionClosed();
        if (e.shouldCommit()) {
            e.id = id;
            e.remote = String.valueOf(remote);
            e.local = String.valueOf(local);
            e.reason = reason;
            e.cause = cause == null ? null : cause.toString();
            e.commit();
        }
    }

    static void acceptBackoff(SocketAddress listener, long backoffNanos, String error) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        AcceptBackoff e = new AcceptBackoff();
        if (e.shouldCommit()) {
            e.listener = String.valueOf(listener);
            e.backoff = backoffNanos;
            e.error = error;
            e.commit();
        }
    }

    static void listenersClosed(String server, long sinceStartNanos) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ListenersClosed e = new ListenersClosed();
        if (e.shouldCommit()) {
            e.server = server;
            e.sinceStart = sinceStartNanos;
            e.commit();
        }
    }

    static void drainStarted(String server, int connections, long partialFrameBytes) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        DrainStarted e = new DrainStarted();
        if (e.shouldCommit()) {
            e.server = server;
            e.connections = connections;
            e.partialFrameBytes = partialFrameBytes;
            e.commit();
        }
    }

    static void drainFinished(String server, int openAtStart, int idleClosed, int drainedWithReplies, int forced,
            int repliesAbandoned, long partialFrameBytesDiscarded, long inputBytesDiscarded, long elapsedNanos,
            boolean timedOut) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        DrainFinished e = new DrainFinished();
        if (e.shouldCommit()) {
            e.server = server;
            e.openAtStart = openAtStart;
            e.idleClosed = idleClosed;
            e.drainedWithReplies = drainedWithReplies;
            e.forced = forced;
            e.repliesAbandoned = repliesAbandoned;
            e.partialFrameBytesDiscarded = partialFrameBytesDiscarded;
            e.inputBytesDiscarded = inputBytesDiscarded;
            e.elapsed = elapsedNanos;
            e.timedOut = timedOut;
            e.commit();
        }
    }

    @Name("pollwire.ConnectionOpened")
    @Label("Connection Opened")
    @Category("pollwire")
    @Description("A connection was accepted, or an outbound connect succeeded")
    @StackTrace(false)
    static final class ConnectionOpened extends Event {
        @Label("Id")
        long id;
        @Label("Outbound")
        boolean outbound;
        @Label("Remote Address")
        String remote;
        @Label("Local Address")
        String local;
    }

    @Name("pollwire.ConnectionClosed")
    @Label("Connection Closed")
    @Category("pollwire")
    @Description("A connection closed, with its CloseReason")
    @StackTrace(false)
    static final class ConnectionClosed extends Event {
        @Label("Id")
        long id;
        @Label("Remote Address")
        String remote;
        @Label("Local Address")
        String local;
        @Label("Reason")
        String reason;
        @Label("Cause")
        String cause;
    }

    @Name("pollwire.AcceptBackoff")
    @Label("Accept Back-off")
    @Category("pollwire")
    @Description("Accepting failed (out of descriptors or memory): the listener is paused")
    @StackTrace(false)
    static final class AcceptBackoff extends Event {
        @Label("Listener")
        String listener;
        @Label("Back-off")
        @Timespan(Timespan.NANOSECONDS)
        long backoff;
        @Label("Error")
        String error;
    }

    @Name("pollwire.ListenersClosed")
    @Label("Shutdown: Listeners Closed")
    @Category("pollwire")
    @Description("Shutdown phase 1: the listeners are closed, new connections are refused")
    @StackTrace(false)
    static final class ListenersClosed extends Event {
        @Label("Server")
        String server;
        @Label("Since Shutdown Start")
        @Timespan(Timespan.NANOSECONDS)
        long sinceStart;
    }

    @Name("pollwire.DrainStarted")
    @Label("Shutdown: Drain Started")
    @Category("pollwire")
    @Description("Shutdown phase 2: every connection stopped reading and drains (idle ones close at once)")
    @StackTrace(false)
    static final class DrainStarted extends Event {
        @Label("Server")
        String server;
        @Label("Connections")
        int connections;
        @Label("Partial Frame Bytes Discarded")
        @DataAmount
        long partialFrameBytes;
    }

    @Name("pollwire.DrainFinished")
    @Label("Shutdown: Drain Finished")
    @Category("pollwire")
    @Description("The shutdown is over; the counts of its report")
    @StackTrace(false)
    static final class DrainFinished extends Event {
        @Label("Server")
        String server;
        @Label("Open At Start")
        int openAtStart;
        @Label("Idle Closed")
        int idleClosed;
        @Label("Drained With Replies")
        int drainedWithReplies;
        @Label("Forced")
        int forced;
        @Label("Replies Abandoned")
        int repliesAbandoned;
        @Label("Partial Frame Bytes Discarded")
        @DataAmount
        long partialFrameBytesDiscarded;
        @Label("Input Bytes Discarded")
        @DataAmount
        long inputBytesDiscarded;
        @Label("Elapsed")
        @Timespan(Timespan.NANOSECONDS)
        long elapsed;
        @Label("Timed Out")
        boolean timedOut;
    }
}
