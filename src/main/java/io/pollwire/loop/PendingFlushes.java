// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

/**
 * Connections written outside their own read (from a task, a timer or another connection's
 * callback), flushed once before the loop polls again, however many writes they got. An
 * intrusive list through {@link LoopConnection#nextPending}: no allocation; the last element
 * points to itself. Loop thread only.
 */
final class PendingFlushes {
    private LoopConnection head;

    /** Remembers to flush {@code c} before the loop polls again. */
    void add(LoopConnection c) {
        if (c.nextPending == null && head != c) {
            c.nextPending = head == null ? c : head;
            head = c;
        }
    }

    /** Forgets {@code c} (it closed) if it is pending. */
    void remove(LoopConnection c) {
        if (head != c && c.nextPending == null) {
            return;
        }
        // Rebuild the short list without c; rare (a connection closed with a flush pending).
        LoopConnection h = head;
        head = null;
        while (h != null) {
            LoopConnection next = h.nextPending == h ? null : h.nextPending;
            h.nextPending = null;
            if (h != c) {
                add(h);
            }
            h = next;
        }
    }

    /** Flushes every pending connection, emptying the list. */
    void flushAll() {
        while (head != null) {
            LoopConnection c = head;
            LoopConnection next = c.nextPending == c ? null : c.nextPending;
            c.nextPending = null;
            head = next;
            c.output.flush();
        }
    }
}
