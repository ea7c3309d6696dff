package io.pollwire.example.resp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One hash table of the store: keys and values as byte arrays, open addressing with linear
 * probing and backward-shift deletion (no tombstones), looked up by a key's bytes where they lie
 * (the request frame), so a lookup allocates nothing.
 *
 * <p>A value is kept as the RESP bulk string that answers a GET ({@code $<len>\r\n<bytes>\r\n}),
 * so a GET writes one stored array and nothing is encoded per request. Expiry times are absolute
 * Unix milliseconds, 0 meaning none. Not thread-safe: {@link RespStore} guards it.
 */
final class KeyTable {
    private int[] hashes;
    private byte[][] keys;
    private byte[][] values;
    private long[] expires;
    private int size;
    private int withExpiry;
    private int sweepCursor;

    KeyTable() {
        clear();
    }

    void clear() {
        hashes = new int[16];
        keys = new byte[16][];
        values = new byte[16][];
        expires = new long[16];
        size = 0;
        withExpiry = 0;
        sweepCursor = 0;
    }

    int size() {
        return size;
    }

    /**
     * @return a hash of {@code buf[start, end)} (FNV-1a over 4-byte words, then spread), the
     *     same whatever the buffer's byte order
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
        return h ^ (h >>> 15);
    }

    /**
     * @return the slot of the key, or -1 when absent. An expired key is deleted and reported
     *     absent (lazy expiry, as Redis's {@code expireIfNeeded}).
     */
    int find(ByteBuffer buf, int start, int end, int hash, long now) {
        int mask = keys.length - 1;
        int len = end - start;
        for (int i = hash & mask;; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                return -1;
            }
            if (hashes[i] == hash && k.length == len && equal(k, buf, start)) {
                long e = expires[i];
                if (e != 0 && e <= now) {
                    delete(i);
                    return -1;
                }
                return i;
            }
        }
    }

    private static boolean equal(byte[] k, ByteBuffer buf, int start) {
        for (int j = 0; j < k.length; j++) {
            if (k[j] != buf.get(start + j)) {
                return false;
            }
        }
        return true;
    }

    /** @return the stored bulk string of slot {@code i}: {@code $<len>\r\n<bytes>\r\n} */
    byte[] value(int i) {
        return values[i];
    }

    long expiry(int i) {
        return expires[i];
    }

    /**
     * Stores {@code buf[vStart, vEnd)} as the value of slot {@code i} (from {@link #find}) or,
     * when {@code i} is -1, of a new key {@code buf[kStart, kEnd)}. A value of the same length
     * as the one it replaces is copied in place: nothing is allocated.
     *
     * @param expiry absolute Unix ms, 0 for none, -1 to keep the key's current one
     */
    void put(int i, ByteBuffer buf, int kStart, int kEnd, int hash, ByteBuffer vbuf, int vStart, int vEnd,
            long expiry) {
        int slot = i;
        if (slot < 0) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            slot = insertSlot(hash);
            byte[] k = new byte[kEnd - kStart];
            buf.get(kStart, k);
            keys[slot] = k;
            hashes[slot] = hash;
            expires[slot] = 0;
            size++;
        }
        values[slot] = encode(values[slot], vbuf, vStart, vEnd);
        if (expiry >= 0) {
            setExpiry(slot, expiry);
        }
    }

    /** Replaces the value of an existing slot with the decimal digits of {@code value} (INCR). */
    void putLong(int i, long value) {
        int digits = RespNumbers.stringSize(value);
        int headLength = 3 + RespNumbers.stringSize(digits);
        byte[] v = values[i];
        if (v.length != headLength + digits + 2) {
            v = new byte[headLength + digits + 2];
            RespNumbers.format((byte) '$', digits, v);
            values[i] = v;
        }
        long x = value < 0 ? value : -value;
        int p = headLength + digits;
        v[p] = '\r';
        v[p + 1] = '\n';
        do {
            v[--p] = (byte) ('0' - (x % 10));
            x /= 10;
        } while (x != 0);
        if (value < 0) {
            v[--p] = '-';
        }
    }

    private static byte[] encode(byte[] old, ByteBuffer vbuf, int vStart, int vEnd) {
        int n = vEnd - vStart;
        int headLength = 3 + RespNumbers.stringSize(n);
        byte[] v = old;
        if (v == null || v.length != headLength + n + 2) {
            v = new byte[headLength + n + 2];
            RespNumbers.format((byte) '$', n, v);
        }
        vbuf.get(vStart, v, headLength, n);
        v[headLength + n] = '\r';
        v[headLength + n + 1] = '\n';
        return v;
    }

    void setExpiry(int i, long expiry) {
        long old = expires[i];
        if ((old == 0) != (expiry == 0)) {
            withExpiry += expiry == 0 ? -1 : 1;
        }
        expires[i] = expiry;
    }

    private int insertSlot(int hash) {
        int mask = keys.length - 1;
        int i = hash & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        int[] oh = hashes;
        byte[][] ok = keys;
        byte[][] ov = values;
        long[] oe = expires;
        int n = ok.length * 2;
        hashes = new int[n];
        keys = new byte[n][];
        values = new byte[n][];
        expires = new long[n];
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] != null) {
                int s = insertSlot(oh[j]);
                hashes[s] = oh[j];
                keys[s] = ok[j];
                values[s] = ov[j];
                expires[s] = oe[j];
            }
        }
    }

    /** Deletes slot {@code i}, shifting back the entries of its probe run that follow it. */
    void delete(int i) {
        if (expires[i] != 0) {
            withExpiry--;
        }
        int mask = keys.length - 1;
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // j's entry may move into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                hashes[hole] = hashes[j];
                keys[hole] = keys[j];
                values[hole] = values[j];
                expires[hole] = expires[j];
                hole = j;
            }
        }
        keys[hole] = null;
        values[hole] = null;
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
        int mask = keys.length - 1;
        int i = sweepCursor & mask;
        for (int examined = 0; examined < budget; examined++) {
            long e = expires[i];
            if (keys[i] != null && e != 0 && e <= now) {
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
