// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.codec.Framing;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * One connection (TCP or Unix domain; accepted by a {@link Server} or made by a {@link Client}
 * or {@link #connect}), owned by one event loop. Every method is safe to call from any thread;
 * the lifecycle contract below holds on every transport, inbound and outbound alike.
 *
 * <p><b>Order.</b> Bytes written to one connection reach the peer in happens-before order,
 * whichever threads wrote them: if a write on an executor thread happens-before a write on the
 * loop (a latch, a queue, a lock...), its bytes go first. Writes from other threads are copied
 * into the connection's own ordered hand-off, which the loop drains before it appends its own
 * writes. A {@link DeferredReply} ({@link #deferReply()}) reserves its place when it is created.
 * Inside a handler callback (the loop thread) writes are batched and sent with one system call
 * when the callback's read has been processed.
 *
 * <p><b>Owed and idle.</b> A connection is <em>owed</em> something while it has queued output,
 * an outstanding deferred reply, or a complete request still being handled; otherwise it is
 * <em>idle</em>. A graceful close ({@link #close()}, the peer's half-close, a framing error, a
 * server drain) sends what is owed, then our FIN, then closes; an idle connection closes at
 * once. After our FIN the connection lingers (discarding input) only while that protects
 * replies from a reset: until the peer's FIN, or until the kernel reports our output
 * acknowledged (Linux {@code SIOCOUTQ}, macOS {@code SO_NWRITE}; a short grace on NIO) while
 * the peer is not sending.
 *
 * <p><b>Half-closure.</b> The peer's FIN ends its input, not our output: what is owed, deferred
 * replies included, is still sent before our FIN ({@link ConnectionHandler#onInputClosed}).
 * With {@link Server.Builder#allowHalfClosure(boolean)} the output stays open until
 * {@link #close()}.
 *
 * <p><b>Flow control.</b> When {@link #queuedBytes()} passes the high write watermark the
 * connection stops being read and {@link ConnectionHandler#onWritabilityChanged} is called;
 * below the low watermark reading resumes and it is called again. A writer that is not the
 * reader (an executor streaming a response, a proxy's other side) should stop writing while
 * {@link #isWritable()} is false and resume on that callback; writes are never refused for
 * being over the watermark, so memory is bounded by that cooperation. A proxy pauses the
 * reading of its inbound connection with {@link #pauseReading()} while the outbound one is not
 * writable.
 *
 * <p><b>Failures.</b> A write to a connection whose output is closed returns false and the bytes
 * are dropped; nothing is dropped silently.
 *
 * <p>A handler that answers some requests inline and one slow command from an executor, keeping
 * pipelined replies in request order and surviving half-close and shutdown:
 *
 * <pre>{@code
 * ExecutorService pool = Executors.newFixedThreadPool(4);
 * ConnectionHandler handler = (conn, frame) -> {
 *     String cmd = StandardCharsets.US_ASCII.decode(frame).toString();
 *     if (cmd.startsWith("SLOW ")) {
 *         DeferredReply reply = conn.deferReply();          // reserves its place now
 *         pool.execute(() -> {
 *             try {
 *                 reply.send(("DONE " + compute(cmd) + "\n").getBytes(StandardCharsets.US_ASCII));
 *             } catch (RuntimeException e) {
 *                 reply.abandon();                          // or send an error line
 *             }
 *         });
 *     } else {
 *         conn.write(("OK " + cmd + "\n").getBytes(StandardCharsets.US_ASCII)); // after DONE
 *     }
 * };
 * }</pre>
 */
public interface Connection {
    /**
     * @return a number unique among the connections of the {@link Server} or {@link Client} this
     *     connection belongs to, accepted and outbound alike: an outbound connection made with
     *     {@link #connect} is numbered by the server of the connection that made it, and a
     *     client sharing a server's loops ({@code Client.Builder.shareLoopsOf}) shares its
     *     numbering. Positive, increasing in the order connections were made.
     */
    long id();

    /**
     * @return the peer's address (kept after the connection closes), or null if unknown: an
     *     {@code InetSocketAddress}, or a {@code UnixDomainSocketAddress} (with an empty path
     *     for the unnamed client of a Unix domain server, as the JDK reports it)
     */
    SocketAddress remoteAddress();

    /**
     * @return the local address of this connection (kept after the connection closes), or null
     *     if unknown
     */
    SocketAddress localAddress();

    /**
     * Opens an outbound connection on this connection's own event loop, so that the two pass
     * bytes without a thread hop (a proxy's backend; Netty's HexDumpProxy does the same with
     * {@code Bootstrap.group(inbound.eventLoop())}). The new connection has its own framing and
     * handler and otherwise lives like an accepted one: this server's socket options,
     * watermarks, idle timeout, connect timeout ({@link Server.Builder#connectTimeout}), and
     * its drain and count in the shutdown report.
     *
     * <p><b>Linked to this connection.</b> The new connection is this one's <em>child</em>,
     * for the server's graceful drain: while this connection (its parent) is owed work
     * (outstanding deferred replies, queued output, a request being handled) the drain neither
     * closes the child nor stops reading it, even when the child itself owes nothing, so the
     * answer the parent waits for can still arrive on it; once the draining parent has sent
     * its FIN or closed, the child drains like any connection (what it owes, then FIN; idle:
     * at once). A proxy therefore marks a forwarded request with {@link #deferReply()} and
     * fills it with the backend's answer: a pair whose backend spoke last is idle and closes
     * at once, a pair awaiting the answer waits for it, up to the drain timeout (then the
     * reply is abandoned and counted, and both are forced). Outside a drain the link does
     * nothing: closing the parent leaves its children to the application. This mirrors
     * HAProxy's soft-stop, which keeps each proxied TCP session, both sides, until it ends,
     * within Go's {@code http.Server.Shutdown} rule of closing idle connections and waiting
     * for active ones. A {@link Client}'s connections have no parent.
     *
     * <p>The future completes on this loop's thread, after the new connection's
     * {@link ConnectionHandler#onOpen}: continuations may touch both connections directly. It
     * fails with the JDK's exception types, address included: {@link java.net.ConnectException}
     * ({@code connect(/127.0.0.1:1) failed: Connection refused}), {@link
     * java.net.NoRouteToHostException}, {@link java.net.SocketTimeoutException} after the connect
     * timeout, {@link java.net.UnknownHostException}. A connection that never opened gets no
     * handler callbacks.
     *
     * <p>Requests that arrive while the connect is under way: queue them and send the queue from
     * one continuation. Do not attach one continuation per request to the pending future:
     * {@code CompletableFuture} runs the dependents of one future in no promised order (in
     * practice the last attached first), so pipelined requests would reach the backend reversed.
     *
     * @param address an {@code InetSocketAddress} (an unresolved one is resolved off the loop)
     *     or a {@code UnixDomainSocketAddress}
     * @param framing how the new connection's input is cut into frames
     * @param handler the new connection's callbacks
     * @return the open connection
     */
    CompletableFuture<Connection> connect(SocketAddress address, Framing framing, ConnectionHandler handler);

    /**
     * Queues bytes to send, after everything written before (see the class comment: order).
     * Never blocks; never refused for being over the watermark.
     *
     * @param bytes sent as they are; the array may be reused once this returns
     * @return true when the bytes were accepted for sending; false when the connection's output
     *     is already closed (closed, closing after {@link #close()}, or FIN sent) and they were
     *     dropped
     */
    boolean write(byte[] bytes);

    /**
     * Queues {@code bytes[offset, offset + length)} to send.
     *
     * @param bytes the source; may be reused once this returns
     * @param offset index in {@code bytes} of the first byte to send
     * @param length how many bytes to send, from {@code offset}
     * @return as {@link #write(byte[])}
     * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
     */
    boolean write(byte[] bytes, int offset, int length);

    /**
     * Queues the remaining bytes of {@code src} (its position advances to its limit).
     *
     * @param src the source; may be reused once this returns
     * @return as {@link #write(byte[])}
     */
    boolean write(ByteBuffer src);

    /**
     * Reserves the place of a reply in this connection's output, to be filled later from any
     * thread: later writes wait behind it. See {@link DeferredReply} for order, half-close,
     * drain and the memory bound.
     *
     * @return the reserved reply; on a connection whose output is already closed, one that is
     *     already done and whose {@code send} returns false
     */
    DeferredReply deferReply();

    /**
     * @return an executor that runs tasks on this connection's loop thread, after the callbacks
     *     and hand-offs already queued for it (Netty's {@code ctx.executor()}, Vert.x
     *     {@code runOnContext}). Tasks run even if the connection closes meanwhile (they see it
     *     closed); {@code execute} throws {@link java.util.concurrent.RejectedExecutionException}
     *     once the loop has stopped.
     */
    Executor executor();

    /**
     * Runs {@code task} on this connection's loop thread after {@code delay} (a timer of the
     * loop: no thread per timer). Timers still pending when the loop stops do not run.
     *
     * @param delay how long to wait, at millisecond resolution; zero or negative runs it soon
     * @param task what to run
     * @return a future completed when the task has run; {@code cancel} stops a pending task
     * @throws java.util.concurrent.RejectedExecutionException once the loop has stopped
     */
    Future<Void> schedule(Duration delay, Runnable task);

    /**
     * Stops reading from this connection until {@link #resumeReading()} (Netty's
     * {@code autoRead = false}, Vert.x {@code pause()}). Frames already read are still handed
     * to the handler. Independent of the watermark and deferred-reply pauses: reading happens
     * only when none of them holds. Any thread; takes effect in order with the writes.
     */
    void pauseReading();

    /** Undoes {@link #pauseReading()}. Any thread. */
    void resumeReading();

    /**
     * Whether this connection stops being read while it is over the high watermark (default
     * true: a request/response peer that does not read its replies stops being served). Turn it
     * off for a connection whose input is not answered on itself, such as either side of a
     * proxy, and pause its reading from the other side's {@code onWritabilityChanged} instead:
     * two peers that each stop reading while their own output is full (the proxy's backend side
     * and an echo backend, both over the watermark once a Unix socket's ~200 KiB buffers fill
     * both ways) otherwise wait for each other forever. Netty never pauses on its own; its
     * {@code HexDumpProxy} toggles {@code autoRead} from the other side's writability. Any
     * thread; takes effect in order with the writes.
     *
     * @param pause false to keep reading while unwritable (the other pauses still apply)
     */
    void pauseReadingWhenUnwritable(boolean pause);

    /**
     * Sends the frame being handled back exactly as it arrived, delimiter included, without
     * copying it: consecutive echoes go out as one range of the input buffer.
     *
     * @throws IllegalStateException outside {@link ConnectionHandler#onFrame} or
     *     {@link ConnectionHandler#onPartialFrame} of this connection
     */
    void echo();

    /**
     * Closes gracefully, in order with the writes before it: stops reading, sends what is owed
     * (queued output and outstanding deferred replies), sends FIN, lingers as described above,
     * then closes. Later writes return false. Idempotent.
     */
    void close();

    /**
     * Half-closes our side, in order with the writes before it: sends what is owed, then FIN,
     * and keeps reading (the peer's FIN then closes the connection; so do {@link #close()} and
     * a drain). Later writes return false. What a proxy does when one side half-closes
     * ({@code shutdown(SHUT_WR)}, Netty's {@code shutdownOutput()}). Idempotent.
     */
    void shutdownOutput();

    /** Closes at once, discarding queued output and outstanding deferred replies. Idempotent. */
    void abort();

    /** @return false once the connection is closing or closed (it may still be sending) */
    boolean isOpen();

    /**
     * @return bytes written but not yet accepted by the kernel, including bytes in transit from
     *     other threads and bytes held behind outstanding deferred replies (a hint; exact on
     *     the loop thread)
     */
    long queuedBytes();

    /**
     * @return false while {@link #queuedBytes()} is over the high watermark (until it falls to
     *     the low one): the peer is not reading its replies fast enough. Its changes are
     *     announced by {@link ConnectionHandler#onWritabilityChanged}.
     */
    boolean isWritable();

    /**
     * Attaches application state to this connection (per-connection handler state), replacing
     * what was attached. Safe from any thread: an {@link #attachment()} that runs after this
     * returns sees the object (a volatile write, as Netty's {@code Attribute.set}).
     *
     * @param attachment what {@link #attachment()} returns from now on; null detaches
     */
    void attach(Object attachment);

    /**
     * @param <T> the type the caller expects
     * @return the attached object, or null
     */
    <T> T attachment();
}
