// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.codec.FramingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Application callbacks of connections: a {@link Server}'s accepted ones (its
 * {@link Server.Builder#handler handler}), a {@link Client}'s outbound ones (its builder's
 * handler), and each outbound connection a handler opens with {@link Connection#connect} (the
 * handler given there). One handler may serve many connections, on their loop threads: keep
 * per-connection state in {@link Connection#attach}. Everything below holds for inbound and
 * outbound connections alike; an outbound connection whose connect fails never gets a
 * callback (its future fails instead).
 *
 * <p>Callbacks of one connection never run concurrently. An exception thrown by a callback
 * closes only that connection ({@link CloseReason#HANDLER_ERROR}) after
 * {@link #onError(Connection, Throwable)}; the loop keeps serving every other one. So does an
 * {@link Error}, {@link OutOfMemoryError} and {@link StackOverflowError} included; only
 * {@link InternalError} and {@link UnknownError}, which say the JVM itself is broken, end the
 * event loop (see {@code docs/memory.md}).
 *
 * <p>A reply may be written inline, or later from any thread through a
 * {@link Connection#deferReply() deferred reply} that keeps its place in request order (see
 * {@link Connection} for the lifecycle contract and a complete example). The order of calls for
 * one connection: {@code onOpen}, then {@code onFrames}/{@code onFrame} per read, with
 * {@code onWritabilityChanged} between them; at the peer's FIN, {@code onPartialFrame} (if it
 * stopped mid-frame) then {@code onInputClosed}; finally {@code onClose}, once.
 *
 * <pre>{@code
 * ConnectionHandler upper = (conn, frame) -> {
 *     byte[] line = new byte[frame.remaining() + 1];
 *     frame.get(line, 0, line.length - 1);
 *     line[line.length - 1] = '\n';
 *     conn.write(line);                      // or conn.echo() to send the frame back as is
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * A connection was opened: accepted by a server, or connected by a {@link Client} or
     * {@link Connection#connect} (then before the connect future completes).
     *
     * @param connection the new connection
     * @throws Exception anything: it closes this connection only, with
     *     {@link CloseReason#HANDLER_ERROR}, after {@link #onError}
     */
    default void onOpen(Connection connection) throws Exception {}

    /**
     * A complete frame arrived.
     *
     * @param connection where it came from
     * @param frame a read-only view of the frame's content, valid only during this call: copy
     *     what you keep ({@code frame.get(byte[])}). For lines it excludes the line ending.
     * @throws Exception anything: it closes this connection only, with
     *     {@link CloseReason#HANDLER_ERROR}, after {@link #onError}; a {@link FramingException}
     *     (a protocol error found while parsing the frame) goes to {@link #onFramingError}
     *     instead and closes with {@link CloseReason#FRAMING_ERROR}
     */
    void onFrame(Connection connection, ByteBuffer frame) throws Exception;

    /**
     * The complete frames that one read produced, in order. The default hands each to
     * {@link #onFrame}, stopping if the connection is closed meanwhile. Override it to handle a
     * whole batch at once: an echo server calls {@link Frames#echoAll()} and is done, however
     * many lines arrived.
     *
     * @param connection where they came from
     * @param frames the frames, valid only during this call
     * @throws Exception as from {@link #onFrame}; the frames after it are not handled
     */
    default void onFrames(Connection connection, Frames frames) throws Exception {
        int n = frames.count();
        for (int i = 0; i < n && connection.isOpen(); i++) {
            onFrame(connection, frames.get(i));
        }
    }

    /**
     * The peer ended the stream in the middle of a frame: these bytes are all it sent of it.
     * The default does nothing, dropping them knowingly; the echo server sends them back.
     * Not called when the server shuts down (then partial frames are counted as discarded).
     *
     * @param connection the connection, still writable
     * @param partial read-only view of the unterminated bytes, valid only during this call
     * @throws Exception anything: it closes this connection only, with
     *     {@link CloseReason#HANDLER_ERROR}, after {@link #onError}
     */
    default void onPartialFrame(Connection connection, ByteBuffer partial) throws Exception {}

    /**
     * The peer ended its stream (its FIN arrived): no more frames will come, but the connection
     * can still send. Called after {@link #onPartialFrame} if the stream ended mid-frame. By
     * default the connection then closes once everything it is owed has been sent, outstanding
     * deferred replies included; with {@link Server.Builder#allowHalfClosure(boolean)} it stays
     * open for output until {@link Connection#close()}. Not called for a reset, nor once a
     * graceful close or a server drain has stopped reading.
     *
     * @param connection the connection, still writable
     * @throws Exception anything: it closes this connection only, with
     *     {@link CloseReason#HANDLER_ERROR}, after {@link #onError}
     */
    default void onInputClosed(Connection connection) throws Exception {}

    /**
     * A graceful shutdown (a server's or a client's drain, e.g. on SIGTERM) reached this
     * connection: called once, on its loop thread, while the connection is still open and before
     * the drain decides whether it owes anything. After this returns, a connection that owes
     * nothing (no queued output, no outstanding {@link DeferredReply}, no request being handled)
     * is closed at once; one that owes replies sends them first. Input that arrives after this
     * is discarded.
     *
     * <p>Override it when the handler knows more than pollwire about what is still due: a byte
     * proxy whose backend is still answering, or a streaming protocol, reserves the rest with
     * {@link Connection#deferReply()} (and sends or abandons it when it knows); a protocol with a
     * goodbye message writes it here (HTTP {@code Connection: close}, an HTTP/2 GOAWAY frame);
     * like any write it goes out after the replies already reserved, so a connection forced at
     * the timeout with a reply still outstanding never sends it.
     * The idea is Go's {@code http.Server.RegisterOnShutdown}, which tells long-lived
     * connections that a shutdown began. An outbound connection kept open for the connection it
     * was opened from (see {@link Connection#connect}) is told when its own drain starts. The
     * default does nothing.
     *
     * @param connection the connection, still open and writable
     * @throws Exception anything: it closes this connection only, with
     *     {@link CloseReason#HANDLER_ERROR}, after {@link #onError}
     */
    default void onDrain(Connection connection) throws Exception {}

    /**
     * {@link Connection#isWritable()} may have changed: the queued output crossed the high
     * write watermark (now false: stop writing from other threads, reading of this connection
     * is paused) or fell back to the low one (now true: resume). Called on the loop thread,
     * once per change or pair of changes; read {@code isWritable()} for the current value.
     *
     * @param connection the connection whose writability changed
     * @throws Exception anything: it closes this connection only, with
     *     {@link CloseReason#HANDLER_ERROR}, after {@link #onError}
     */
    default void onWritabilityChanged(Connection connection) throws Exception {}

    /**
     * The input broke the framing; the connection is closed after this returns (queued writes
     * are flushed first). The default replies {@code "ERR <message>\n"}, e.g.
     * {@code ERR line too long (max 65536 bytes)}: override it for binary protocols. Also
     * called with a {@link ServerBusyException} ({@code ERR server busy}) when the connection is
     * shed to keep the server within its memory budget; it then closes with
     * {@link CloseReason#OVERLOADED}.
     *
     * @param connection the offending connection, still writable
     * @param error what was wrong
     */
    default void onFramingError(Connection connection, FramingException error) {
        connection.write(("ERR " + error.getMessage() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A callback threw; the connection is closed after this returns. The default logs the
     * error at WARNING through {@code System.Logger}, at most once a second per event loop
     * (per calling thread: callbacks run on the connection's loop thread), counting what it
     * did not log.
     *
     * @param connection the connection whose callback failed
     * @param error what it threw
     */
    default void onError(Connection connection, Throwable error) {
        HandlerErrors.log(connection, error);
    }

    /**
     * The connection is closed: the last callback for it.
     *
     * @param connection the closed connection
     * @param reason why it closed
     * @param cause the exception behind it, or null; for {@link CloseReason#RESET} and
     *     {@link CloseReason#IO_ERROR} an {@link java.io.IOException}: on epoll and kqueue a
     *     {@link java.net.SocketException} naming the failed call and the error (e.g.
     *     {@code read() failed: Connection reset by peer}), on NIO what the JDK threw
     */
    default void onClose(Connection connection, CloseReason reason, Throwable cause) {}
}
