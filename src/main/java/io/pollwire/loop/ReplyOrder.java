// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import java.nio.ByteBuffer;

/**
 * The reserved places ({@link ReservedReply}) of one connection's output, in order, with the
 * bytes written behind each. While any place is outstanding every write is held behind the
 * last one; when the first places settle, their replies and what was held behind them go out
 * through the connection's normal write path ({@link Sink}). Loop thread only.
 */
final class ReplyOrder {
    /** Where released bytes go: the connection's output, as a write made on the loop. */
    interface Sink {
        void emit(byte[] bytes, int offset, int length);
    }

    private ReservedReply head;
    private ReservedReply tail;
    private int linked;
    private long heldBytes;

    /** @return true while writes must wait behind an outstanding place */
    boolean holding() {
        return tail != null;
    }

    /** @return places linked and not yet released (the count the deferred-reply cap bounds) */
    int outstanding() {
        return linked;
    }

    /** @return bytes waiting behind outstanding places (they count for the watermarks) */
    long heldBytes() {
        return heldBytes;
    }

    /** Puts a new place at the end of the order. */
    void reserve(ReservedReply r) {
        if (tail == null) {
            head = r;
        } else {
            tail.next = r;
        }
        tail = r;
        linked++;
    }

    void hold(byte[] src, int offset, int length) {
        tail.hold(src, offset, length);
        heldBytes += length;
    }

    void hold(ByteBuffer src) {
        int length = src.remaining();
        byte[] copy = new byte[length];
        src.get(copy);
        hold(copy, 0, length);
    }

    void hold(IoBuffer src, int offset, int length) {
        byte[] copy = new byte[length];
        src.buffer().get(offset, copy, 0, length);
        hold(copy, 0, length);
    }

    /**
     * Sends what no longer waits: the settled places at the front, each followed by the bytes
     * held behind it.
     *
     * @return true if at least one place was released
     */
    boolean release(Sink sink) {
        boolean any = false;
        ReservedReply r;
        while ((r = head) != null && r.settled()) {
            head = r.next;
            if (head == null) {
                tail = null;
            }
            r.next = null;
            linked--;
            any = true;
            byte[] p = r.payload();
            if (p != null && p.length > 0) {
                sink.emit(p, 0, p.length);
            }
            if (r.heldLength > 0) {
                heldBytes -= r.heldLength;
                byte[] h = r.held;
                int n = r.heldLength;
                r.held = null;
                r.heldLength = 0;
                sink.emit(h, 0, n);
            }
        }
        return any;
    }

    /**
     * A handler failed: the places still pending are given up (their {@code send} returns
     * false), so what waits behind them can go out before the connection closes.
     */
    void dropPending() {
        for (ReservedReply r = head; r != null; r = r.next) {
            r.drop();
        }
    }

    /**
     * The connection closes: every place is given up and what was held is dropped.
     *
     * @return how many replies were still pending (not sent or abandoned by the application)
     */
    int dropAll() {
        int pending = 0;
        for (ReservedReply r = head; r != null; ) {
            if (r.drop()) {
                pending++;
            }
            ReservedReply next = r.next;
            r.next = null;
            r.held = null;
            r = next;
        }
        head = null;
        tail = null;
        linked = 0;
        heldBytes = 0;
        return pending;
    }
}
