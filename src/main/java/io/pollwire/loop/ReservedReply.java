// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.DeferredReply;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * A {@link DeferredReply}: a place in one connection's output order, filled (or given up) once
 * from any thread. The state moves once from PENDING; the loop reads it when it releases the
 * places in order ({@link ReplyOrder}). While linked in that order, it also carries the bytes
 * written after it and before the next place ({@link #held}), which wait for it.
 */
final class ReservedReply implements DeferredReply {
    static final int PENDING = 0;
    static final int SENT = 1;
    static final int ABANDONED = 2;
    /** Dropped by the server: the connection closed or the drain timed out. */
    static final int DROPPED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ReservedReply.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Handoff owner;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;
    /** The reply's bytes, written before the state becomes SENT (published by that CAS). */
    private byte[] payload;
    /** Loop thread: the next place in the order, and the bytes written between the two. */
    ReservedReply next;
    byte[] held;
    int heldLength;

    /**
     * @param owner the hand-off of the connection: told when the reply is done
     * @param state PENDING, or DROPPED for a connection whose output is already closed
     */
    ReservedReply(Handoff owner, int state) {
        this.owner = owner;
        this.state = state;
    }

    @Override
    public boolean send(byte[] reply) {
        return complete(reply.clone());
    }

    @Override
    public boolean send(ByteBuffer reply) {
        byte[] copy = new byte[reply.remaining()];
        reply.get(copy);
        return complete(copy);
    }

    private boolean complete(byte[] copy) {
        payload = copy;
        if (STATE.compareAndSet(this, PENDING, SENT)) {
            owner.replyDone(this);
            return true;
        }
        payload = null;
        int s = state;
        if (s == DROPPED) {
            return false;
        }
        throw new IllegalStateException("deferred reply already " + (s == SENT ? "sent" : "abandoned"));
    }

    @Override
    public void abandon() {
        if (STATE.compareAndSet(this, PENDING, ABANDONED)) {
            owner.replyDone(this);
        }
    }

    @Override
    public boolean isDone() {
        return state != PENDING;
    }

    /** @return true when the loop may move past this place */
    boolean settled() {
        return state != PENDING;
    }

    /**
     * The server gives up on the reply (closed connection, drain timeout).
     *
     * @return true if it was still pending (an abandoned reply to count)
     */
    boolean drop() {
        return STATE.compareAndSet(this, PENDING, DROPPED);
    }

    /** @return the bytes to send once settled, or null (abandoned or dropped) */
    byte[] payload() {
        return state == SENT ? payload : null;
    }

    /** Loop thread: keeps bytes written after this place until it is settled. */
    void hold(byte[] src, int offset, int length) {
        if (held == null || held.length - heldLength < length) {
            held = java.util.Arrays.copyOf(held == null ? new byte[0] : held,
                    Math.max(heldLength + length, Math.max(256, 2 * heldLength)));
        }
        System.arraycopy(src, offset, held, heldLength, length);
        heldLength += length;
    }
}
