// SPDX-License-Identifier: Apache-2.0
package io.pollwire.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class WaitGroupTest {
    @Test
    void emptyGroupIsDoneAtOnce() throws Exception {
        assertTrue(new WaitGroup().await(0, TimeUnit.MILLISECONDS));
    }

    @Test
    void timeoutReturnsFalseAndLeavesNoWaiterOrThread() throws Exception {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        int threadsBefore = Thread.activeCount();
        long t0 = System.nanoTime();
        assertFalse(wg.await(100, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals(0, wg.waiters(), "the timed-out waiter is unlinked");
        assertTrue(Thread.activeCount() <= threadsBefore, "no helper thread was started");
        wg.done();
        assertTrue(wg.await(0, TimeUnit.MILLISECONDS));
    }

    @Test
    void doneMoreThanAddIsAnError() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        wg.done();
        assertThrows(IllegalStateException.class, wg::done);
        assertThrows(IllegalArgumentException.class, () -> wg.add(-1));
    }

    @Test
    void abortReleasesWaitersWhateverTheCount() throws Exception {
        WaitGroup wg = new WaitGroup();
        wg.add(3);
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            waiting.countDown();
            try {
                wg.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        waiting.await();
        wg.abort();
        t.join(5000);
        assertFalse(t.isAlive());
        assertTrue(wg.isAborted());
    }

    static List<Long> seeds() {
        String fixed = System.getProperty("pollwire.test.seed");
        return fixed != null ? List.of(Long.parseLong(fixed)) : List.of(101L, 102L, 103L, new Random().nextLong());
    }

    /**
     * Many threads add and finish work in a seeded random interleaving while others wait: every
     * waiter wakes exactly when the last unit is done, never earlier.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concurrentAddAndDoneUnderASeededSchedule(long seed) throws Exception {
        Random rnd = new Random(seed);
        WaitGroup wg = new WaitGroup();
        int workers = 16;
        int unitsPerWorker = 2000;
        AtomicInteger outstanding = new AtomicInteger();
        wg.add(workers); // each worker holds one unit until it has added all its own
        outstanding.addAndGet(workers);
        List<Thread> threads = new ArrayList<>();
        long[] workerSeeds = new long[workers];
        for (int i = 0; i < workers; i++) {
            workerSeeds[i] = rnd.nextLong();
        }
        AtomicInteger earlyWake = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread w = new Thread(() -> {
                try {
                    if (wg.await(30, TimeUnit.SECONDS) && outstanding.get() != 0) {
                        earlyWake.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "waiter-" + i);
            w.start();
            waiters.add(w);
        }
        for (int i = 0; i < workers; i++) {
            Random own = new Random(workerSeeds[i]);
            Thread t = new Thread(() -> {
                int pending = 0;
                for (int u = 0; u < unitsPerWorker; u++) {
                    outstanding.incrementAndGet();
                    wg.add(1);
                    pending++;
                    while (pending > 0 && own.nextInt(3) == 0) {
                        outstanding.decrementAndGet();
                        wg.done();
                        pending--;
                    }
                    if (own.nextInt(64) == 0) {
                        Thread.yield();
                    }
                }
                while (pending-- > 0) {
                    outstanding.decrementAndGet();
                    wg.done();
                }
                outstanding.decrementAndGet();
                wg.done(); // release this worker's own unit
            }, "worker-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(30_000);
        }
        for (Thread w : waiters) {
            w.join(30_000);
            assertFalse(w.isAlive(), "waiter never released (seed " + seed + ")");
        }
        assertEquals(0, earlyWake.get(), "a waiter woke before all work was done (seed " + seed + ")");
        assertEquals(0, wg.count());
        assertEquals(0, wg.waiters());
    }
}
