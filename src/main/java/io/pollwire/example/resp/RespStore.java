// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The key space: {@link KeyTable}s, one per shard, and what guards them.
 *
 * <p>With one event loop ({@code shared == false}) there is one table and no lock: every
 * command runs on that loop's thread, as every Redis command runs on Redis's one thread. With
 * several loops the keys are spread over 64 tables by hash, each behind its own lock: a
 * single-key command takes one uncontended lock (a compare-and-set and a release, some 20 ns),
 * two loops collide only on the same shard; commands over several keys or all of them (MGET,
 * MSET, DEL/EXISTS of several keys, FLUSHALL, DBSIZE) take all 64 locks in order, so they stay
 * atomic as in Redis, at the cost of some 64 lock round trips (~1-2 µs) each.
 *
 * <p>Expiry is lazy (a key found expired is deleted) plus {@link #sweep}: a bounded walk over
 * one table at a time, run by a loop timer every 100 ms (see {@link RespHandler}).
 */
final class RespStore {
    /** Shards of a store shared by several loops. */
    static final int SHARDS = 64;
    /** Slots examined by one {@link #sweep} step. */
    static final int SWEEP_BUDGET = 1024;
    /** Milliseconds between two sweep steps. */
    static final long SWEEP_INTERVAL_MS = 100;

    private final KeyTable[] tables;
    private final ReentrantLock[] locks;
    private final int mask;
    private volatile long nextSweep;
    private int sweepTable;

    /** @param shared true when several event loops use the store */
    RespStore(boolean shared) {
        int n = shared ? SHARDS : 1;
        tables = new KeyTable[n];
        locks = shared ? new ReentrantLock[n] : null;
        for (int i = 0; i < n; i++) {
            tables[i] = new KeyTable();
            if (shared) {
                locks[i] = new ReentrantLock();
            }
        }
        mask = n - 1;
    }

    /** @return the table that holds keys of this hash (lock it first with {@link #lock}) */
    KeyTable table(int hash) {
        return tables[(hash >>> 24) & mask];
    }

    void lock(int hash) {
        if (locks != null) {
            locks[(hash >>> 24) & mask].lock();
        }
    }

    void unlock(int hash) {
        if (locks != null) {
            locks[(hash >>> 24) & mask].unlock();
        }
    }

    void lockAll() {
        if (locks != null) {
            for (ReentrantLock l : locks) {
                l.lock();
            }
        }
    }

    void unlockAll() {
        if (locks != null) {
            for (int i = locks.length - 1; i >= 0; i--) {
                locks[i].unlock();
            }
        }
    }

    /** Empties every table; the caller holds all locks. */
    void clear() {
        for (KeyTable t : tables) {
            t.clear();
        }
    }

    /** @return the number of keys (some may have expired unnoticed); the caller holds all locks */
    long size() {
        long n = 0;
        for (KeyTable t : tables) {
            n += t.size();
        }
        return n;
    }

    /**
     * One step of active expiry if {@link #SWEEP_INTERVAL_MS} passed since the last: examines
     * at most {@link #SWEEP_BUDGET} slots of one table, so a step is bounded whatever the store
     * holds.
     *
     * @param now Unix ms
     */
    void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_INTERVAL_MS;
        int t;
        synchronized (this) {
            t = sweepTable;
            sweepTable = (t + 1) & mask;
        }
        if (locks != null) {
            locks[t].lock();
        }
        try {
            tables[t].sweep(now, SWEEP_BUDGET);
        } finally {
            if (locks != null) {
                locks[t].unlock();
            }
        }
    }
}
