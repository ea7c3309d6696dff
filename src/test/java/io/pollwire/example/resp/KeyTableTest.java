// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store's table against a {@link HashMap} under random puts, deletes, lookups, expiries and
 * sweeps (the clock is a parameter, so no test waits), with keys read from buffers of both byte
 * orders: what one finds, the other finds.
 */
class KeyTableTest {
    static java.util.stream.LongStream seeds() {
        return io.pollwire.codec.Seeds.seeds();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void behavesLikeAMapWithExpiry(long seed) {
        Random r = new Random(seed);
        KeyTable t = new KeyTable();
        Map<String, String> values = new HashMap<>();
        Map<String, Long> expiries = new HashMap<>();
        long now = 1_000;
        for (int step = 0; step < 5000; step++) {
            now += r.nextInt(3);
            String key = "k" + r.nextInt(300);
            ByteBuffer k = buffer(key, r.nextBoolean());
            int h = KeyTable.hash(k, 0, k.limit());
            int op = r.nextInt(10);
            Long e = expiries.get(key);
            if (e != null && e <= now) {
                values.remove(key);
                expiries.remove(key);
            }
            int i = t.find(k, 0, k.limit(), h, now);
            assertEquals(values.containsKey(key), i >= 0, seed + ": step " + step + " " + key);
            if (i >= 0) {
                String v = values.get(key);
                assertArrayEquals((key + "$" + v.length() + "\r\n" + v + "\r\n").getBytes(), t.entry(i));
                assertEquals(key.length(), t.valueStart(i));
            }
            if (op < 5) {
                String v = "v".repeat(r.nextInt(4)) + step;
                long expiry = r.nextInt(4) == 0 ? now + 1 + r.nextInt(20) : 0;
                ByteBuffer vb = buffer(v, r.nextBoolean());
                t.put(i, k, 0, k.limit(), h, vb, 0, vb.limit(), expiry);
                values.put(key, v);
                if (expiry == 0) {
                    expiries.remove(key);
                } else {
                    expiries.put(key, expiry);
                }
            } else if (op < 7 && i >= 0) {
                t.delete(i);
                values.remove(key);
                expiries.remove(key);
            } else if (op == 7) {
                t.sweep(now, 64);
            }
            long t0 = now;
            long live = values.keySet().stream().filter(x -> !expiries.containsKey(x) || expiries.get(x) > t0).count();
            assertTrue(t.size() >= live && t.size() <= values.size(), seed + ": step " + step + ": " + t.size()
                    + " keys, " + live + " live, " + values.size() + " including expired ones not yet deleted");
        }
        long later = now + 100;
        for (int j = 0; j < 100; j++) {
            t.sweep(later, 1024);
        }
        values.keySet().removeIf(k -> expiries.containsKey(k) && expiries.get(k) <= later);
        assertEquals(values.size(), t.size(), seed + ": sweeps remove every expired key");
    }

    private static ByteBuffer buffer(String s, boolean little) {
        ByteBuffer b = ByteBuffer.allocate(s.length()).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(s.getBytes()).flip();
        return b;
    }
}
