// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import java.nio.ByteBuffer;

/**
 * A reply whose place in a connection's output is reserved now and whose bytes are given later,
 * from any thread: what {@link Connection#deferReply()} returns.
 *
 * <p><b>Order.</b> The reply goes out at the place it was reserved: everything written to the
 * connection before {@code deferReply()} is sent before it, everything written after (inline
 * or by other threads, deferred or not) is held back until it has been sent or abandoned. So a
 * pipelined protocol answers in request order even when one request is computed on an executor
 * while later ones are answered inline. Bytes held behind an outstanding reply count in
 * {@link Connection#queuedBytes()} and for the write watermarks.
 *
 * <p><b>Lifecycle.</b> Exactly one of {@link #send(byte[])}, {@link #send(ByteBuffer)} or
 * {@link #abandon()} should be called, once. Until then the connection is <em>owed</em>
 * something: it stays open after the peer half-closes (the peer's FIN ends its input, not our
 * output) and a graceful close or server drain waits for it, up to the drain timeout. At that
 * timeout the server abandons what is still outstanding, counts it in
 * {@link ShutdownReport#repliesAbandoned()} and force-closes the connection; a later
 * {@code send} then returns false. If a handler callback throws, the connection's outstanding
 * replies are given up the same way (their {@code send} returns false), what was written behind
 * them is still sent, and the connection closes ({@link CloseReason#HANDLER_ERROR}).
 *
 * <p>This is the per-reply form of a wait group (Go's {@code sync.WaitGroup}
 * {@code Add(1)}/{@code Done()} around a send): the count of outstanding replies is what
 * the drain waits for.
 *
 * <pre>{@code
 * DeferredReply reply = conn.deferReply();              // on the loop, in request order
 * executor.execute(() -> reply.send(lookup(key)));     // later, on any thread
 * }</pre>
 *
 * <p>Memory is bounded per connection: while {@link Server.Builder#maxDeferredReplies(int)}
 * replies are outstanding, the connection is not read (like the high write watermark), so a
 * peer pipelining slow requests cannot make the server hold an unbounded number of them.
 */
public interface DeferredReply {
    /**
     * Sends the reply at its reserved place. Safe from any thread; the array may be reused once
     * this returns (it is copied).
     *
     * @param reply the reply's bytes; may be empty (then only the place is released)
     * @return true when the bytes were accepted for sending in order; false when they were
     *     dropped because the connection is closed or the drain timeout abandoned this reply
     * @throws IllegalStateException if {@code send} or {@code abandon} was already called
     */
    boolean send(byte[] reply);

    /**
     * Sends the remaining bytes of {@code reply} (its position advances to its limit) at the
     * reserved place. Safe from any thread; the buffer may be reused once this returns.
     *
     * @param reply the reply's bytes
     * @return as {@link #send(byte[])}
     * @throws IllegalStateException if {@code send} or {@code abandon} was already called
     */
    boolean send(ByteBuffer reply);

    /**
     * Releases the reserved place without sending anything: the output held behind it goes
     * out. Safe from any thread. Idempotent; after {@code send} it does nothing.
     */
    void abandon();

    /** @return true once the reply was sent, abandoned, or dropped with its connection */
    boolean isDone();
}
