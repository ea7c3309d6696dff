// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import java.util.Arrays;

/**
 * A loop's connections by poller token: the token of a connection is its slot, so an event
 * finds its connection with one array load. Freed slots are reused (a stack), so tokens stay
 * small and the table only grows to the peak number of connections. Loop thread only.
 */
final class ConnectionSlots {
    private LoopConnection[] connections = new LoopConnection[64];
    private int[] freeSlots = new int[64];
    private int freeTop;
    private int slotsUsed;
    private int openCount;

    /** @return a free slot for a connection about to be registered */
    int allocate() {
        if (freeTop > 0) {
            return freeSlots[--freeTop];
        }
        if (slotsUsed == connections.length) {
            connections = Arrays.copyOf(connections, slotsUsed * 2);
            freeSlots = Arrays.copyOf(freeSlots, slotsUsed * 2);
        }
        return slotsUsed++;
    }

    /** Returns a slot from {@link #allocate()} that was never filled (the setup failed). */
    void free(int slot) {
        freeSlots[freeTop++] = slot;
    }

    /** Puts a registered connection in its slot. */
    void put(LoopConnection c) {
        connections[c.slot] = c;
        openCount++;
    }

    /**
     * Empties the slot of a closed connection.
     *
     * @return false when {@code c} was not (or no longer) in its slot
     */
    boolean remove(LoopConnection c) {
        if (connections[c.slot] != c) {
            return false;
        }
        connections[c.slot] = null;
        freeSlots[freeTop++] = c.slot;
        openCount--;
        return true;
    }

    /** @return the connection registered under {@code token}, or null */
    LoopConnection get(int token) {
        return token < slotsUsed ? connections[token] : null;
    }

    /** @return one past the highest slot ever used: iterate {@code [0, limit())} with {@link #get} */
    int limit() {
        return slotsUsed;
    }

    /** @return connections in the table */
    int openCount() {
        return openCount;
    }

    /** @return the open connections, in slot order, as a new array (for a drain) */
    LoopConnection[] snapshot() {
        LoopConnection[] snapshot = new LoopConnection[openCount];
        int k = 0;
        for (int i = 0; i < slotsUsed && k < snapshot.length; i++) {
            if (connections[i] != null) {
                snapshot[k++] = connections[i];
            }
        }
        return k == snapshot.length ? snapshot : Arrays.copyOf(snapshot, k);
    }
}
