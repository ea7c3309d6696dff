// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One hash table of the store: keys and values as byte arrays, open addressing with linear
 * probing and backward-shift deletion (no tombstones), looked up by a key's bytes where they lie
 * (the request frame), so a lookup allocates nothing.
 *
 * <p>Each key is one array, {@code entry}: the key's bytes followed by its value kept as the RESP
 * bulk string that answers a GET ({@code $<len>\r\n<bytes>\r\n}), so a GET writes a range of
 * one stored array and nothing is encoded per request. Laid out for few cache misses (the
 * workload is memory-bound once the keys outgrow the caches): probing reads only {@code meta}
 * (hash and key length in one long), a match then reads the entry reference and the entry, and
 * expiry times are read only while some key has one. Expiry times are absolute Unix
 * milliseconds, 0 meaning none. Not thread-safe: {@link RespStore} guards it.
 */
final class KeyTable {
    private long[] meta;      // hash << 32 | (key length + 1); 0: empty slot
    private byte[][] entries; // key bytes, then the value as a RESP bulk string
    private long[] expires;
    private int size;
    private int withExpiry;
    private int sweepCursor;

    KeyTable() {
        clear();
    }

    void clear() {
        meta = new long[16];
        entries = new byte[16][];
        expires = new long[16];
        size = 0;
        withExpiry = 0;
        sweepCursor = 0;
    }

    int size() {
        return size;
    }

    /**
     * @return a hash of {@code buf[start, end)}, the same whatever the buffer's byte order:
     *     FNV-1a over 4-byte words, then MurmurHash3's 32-bit finalizer, so that every input bit
     *     reaches the low bits that pick a slot (without it, keys differing in their last
     *     characters, like redis-benchmark's {@code key:000000012345}, pile up in long probe runs)
     */
    static int hash(ByteBuffer buf, int start, int end) {
        int h = 0x811c9dc5;
        int i = start;
        boolean swap = buf.order() != ByteOrder.LITTLE_ENDIAN;
        for (; i + 4 <= end; i += 4) {
            int w = buf.getInt(i);
            h = (h ^ (swap ? Integer.reverseBytes(w) : w)) * 0x01000193;
        }
        for (; i < end; i++) {
            h = (h ^ buf.get(i)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /**
     * @return the slot of the key, or -1 when absent. An expired key is deleted and reported
     *     absent (lazy expiry, as Redis's {@code expireIfNeeded}).
     */
    int find(ByteBuffer buf, int start, int end, int hash, long now) {
        long m = (long) hash << 32 | (end - start + 1);
        int mask = meta.length - 1;
        for (int i = hash & mask;; i = (i + 1) & mask) {
            long mi = meta[i];
            if (mi == 0) {
                return -1;
            }
            if (mi == m && equal(entries[i], buf, start, end)) {
                if (withExpiry != 0) {
                    long e = expires[i];
                    if (e != 0 && e <= now) {
                        delete(i);
                        return -1;
                    }
                }
                return i;
            }
        }
    }

    private static boolean equal(byte[] entry, ByteBuffer buf, int start, int end) {
        for (int j = 0, p = start; p < end; j++, p++) {
            if (entry[j] != buf.get(p)) {
                return false;
            }
        }
        return true;
    }

    /** @return the array holding slot {@code i}'s key and value; see {@link #valueStart} */
    byte[] entry(int i) {
        return entries[i];
    }

    /** @return where slot {@code i}'s value ({@code $<len>\r\n<bytes>\r\n}) starts in its entry */
    int valueStart(int i) {
        return (int) meta[i] - 1;
    }

    long expiry(int i) {
        return expires[i];
    }

    /**
     * Stores {@code vbuf[vStart, vEnd)} as the value of slot {@code i} (from {@link #find}) or,
     * when {@code i} is -1, of a new key {@code buf[kStart, kEnd)}. A value of the same length
     * as the one it replaces is copied in place: nothing is allocated.
     *
     * @param expiry absolute Unix ms, 0 for none, -1 to keep the key's current one
     */
    void put(int i, ByteBuffer buf, int kStart, int kEnd, int hash, ByteBuffer vbuf, int vStart, int vEnd,
            long expiry) {
        int n = vEnd - vStart;
        int headLength = 3 + RespNumbers.stringSize(n);
        int slot = i;
        byte[] e;
        int k;
        if (slot < 0) {
            if ((size + 1) * 2 > meta.length) {
                grow();
            }
            slot = insertSlot(hash);
            k = kEnd - kStart;
            e = new byte[k + headLength + n + 2];
            buf.get(kStart, e, 0, k);
            RespNumbers.format((byte) '$', n, e, k);
            meta[slot] = (long) hash << 32 | (k + 1);
            expires[slot] = 0;
            entries[slot] = e;
            size++;
        } else {
            k = valueStart(slot);
            e = entries[slot];
            if (e.length != k + headLength + n + 2) {
                e = java.util.Arrays.copyOf(e, k + headLength + n + 2);
                RespNumbers.format((byte) '$', n, e, k);
                entries[slot] = e;
            }
        }
        vbuf.get(vStart, e, k + headLength, n);
        e[k + headLength + n] = '\r';
        e[k + headLength + n + 1] = '\n';
        if (expiry >= 0) {
            setExpiry(slot, expiry);
        }
    }

    /** Replaces the value of an existing slot with the decimal digits of {@code value} (INCR). */
    void putLong(int i, long value) {
        int digits = RespNumbers.stringSize(value);
        int k = valueStart(i);
        int headLength = 3 + RespNumbers.stringSize(digits);
        byte[] e = entries[i];
        if (e.length != k + headLength + digits + 2) {
            e = java.util.Arrays.copyOf(e, k + headLength + digits + 2);
            RespNumbers.format((byte) '$', digits, e, k);
            entries[i] = e;
        }
        int end = RespNumbers.digits(value, e, k + headLength);
        e[end] = '\r';
        e[end + 1] = '\n';
    }

    void setExpiry(int i, long expiry) {
        long old = expires[i];
        if ((old == 0) != (expiry == 0)) {
            withExpiry += expiry == 0 ? -1 : 1;
        }
        expires[i] = expiry;
    }

    private int insertSlot(int hash) {
        int mask = meta.length - 1;
        int i = hash & mask;
        while (meta[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] om = meta;
        byte[][] oe = entries;
        long[] ox = expires;
        int n = om.length * 2;
        meta = new long[n];
        entries = new byte[n][];
        expires = new long[n];
        for (int j = 0; j < om.length; j++) {
            if (om[j] != 0) {
                int s = insertSlot((int) (om[j] >>> 32));
                meta[s] = om[j];
                entries[s] = oe[j];
                expires[s] = ox[j];
            }
        }
    }

    /** Deletes slot {@code i}, shifting back the entries of its probe run that follow it. */
    void delete(int i) {
        if (expires[i] != 0) {
            withExpiry--;
        }
        int mask = meta.length - 1;
        int hole = i;
        for (int j = (i + 1) & mask; meta[j] != 0; j = (j + 1) & mask) {
            int home = (int) (meta[j] >>> 32) & mask;
            // j's entry may move into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                meta[hole] = meta[j];
                entries[hole] = entries[j];
                expires[hole] = expires[j];
                hole = j;
            }
        }
        meta[hole] = 0;
        entries[hole] = null;
        expires[hole] = 0;
        size--;
    }

    /**
     * Active expiry, a bounded step of it: examines up to {@code budget} slots from where the
     * last step stopped, deleting expired keys (Redis samples keys with a TTL in
     * {@code activeExpireCycle}; walking the table is the allocation-free equivalent).
     *
     * @return the number of keys deleted
     */
    int sweep(long now, int budget) {
        if (withExpiry == 0) {
            return 0;
        }
        int deleted = 0;
        int mask = meta.length - 1;
        int i = sweepCursor & mask;
        for (int examined = 0; examined < budget; examined++) {
            long e = expires[i];
            if (meta[i] != 0 && e != 0 && e <= now) {
                delete(i); // an entry may shift into slot i: look at it again
                deleted++;
            } else {
                i = (i + 1) & mask;
            }
        }
        sweepCursor = i;
        return deleted;
    }
}
