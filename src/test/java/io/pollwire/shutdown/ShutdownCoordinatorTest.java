// SPDX-License-Identifier: Apache-2.0
package io.pollwire.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The coordinator's phases, driven through fake loops: no sockets, no pollers. */
@Timeout(30)
class ShutdownCoordinatorTest {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    /**
     * A loop that runs each step at once on the caller's thread. It holds {@code open}
     * connections; {@code drainAtOnce} of them drain as soon as the drain starts.
     */
    private final class FakeLoop implements ShutdownTarget {
        final String name;
        final int open;
        final int drainAtOnce;
        final long partialBytes;
        volatile boolean ended;
        volatile Throwable failure;
        volatile ShutdownHook hook;
        private int stillOpen;
        private final CountDownLatch stopped = new CountDownLatch(1);

        FakeLoop(String name, int open, int drainAtOnce, long partialBytes) {
            this.name = name;
            this.open = open;
            this.drainAtOnce = drainAtOnce;
            this.partialBytes = partialBytes;
        }

        @Override
        public boolean closeListenersAsync(Runnable done) {
            if (ended) {
                return false;
            }
            events.add(name + " listeners");
            done.run();
            return true;
        }

        @Override
        public synchronized boolean drainAsync(ShutdownHook h, Runnable started) {
            if (ended) {
                return false;
            }
            events.add(name + " drain");
            h.draining(open, partialBytes);
            stillOpen = open;
            for (int i = 0; i < drainAtOnce; i++) {
                stillOpen--;
                h.drained(10, false);
            }
            started.run();
            hook = h; // published last: the test drains the rest only once the drain has started
            return true;
        }

        @Override
        public synchronized boolean forceCloseAsync(IntConsumer forced) {
            if (ended) {
                return false;
            }
            events.add(name + " force " + stillOpen);
            forced.accept(stillOpen);
            stillOpen = 0;
            return true;
        }

        @Override
        public void requestStop() {
            events.add(name + " stop");
            stopped.countDown();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return ended || stopped.await(timeout, unit);
        }

        @Override
        public Throwable failure() {
            return failure;
        }
    }

    private static void assertCounts(ShutdownReport r, int openAtStart, int drained, int forced) {
        assertEquals(List.of(openAtStart, drained, forced), List.of(r.openAtStart(), r.drained(), r.forced()),
                "open at start, drained, forced: " + r);
    }

    private static ShutdownReport await(CompletableFuture<ShutdownReport> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void listenersCloseEverywhereBeforeAnyDrainAndLoopsStopLast() throws Exception {
        FakeLoop a = new FakeLoop("a", 2, 2, 5);
        FakeLoop b = new FakeLoop("b", 1, 1, 7);
        ShutdownReport r = await(new ShutdownCoordinator(List.of(a, b), "t1").shutdown(Duration.ofSeconds(10)));

        assertEquals(List.of("a listeners", "b listeners", "a drain", "b drain", "a stop", "b stop"), events);
        assertCounts(r, 3, 3, 0);
        assertEquals(12, r.partialFrameBytesDiscarded());
        assertEquals(30, r.inputBytesDiscarded());
        assertFalse(r.timedOut());
        assertTrue(r.isClean());
    }

    @Test
    void whatDoesNotDrainInTimeIsForcedAndCounted() throws Exception {
        FakeLoop a = new FakeLoop("a", 3, 1, 0);
        long t0 = System.nanoTime();
        ShutdownReport r = await(new ShutdownCoordinator(List.of(a), "t2").shutdown(Duration.ofMillis(200)));

        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200), "waited for the drain timeout");
        assertEquals(List.of("a listeners", "a drain", "a force 2", "a stop"), events);
        assertCounts(r, 3, 1, 2);
        assertTrue(r.timedOut());
        assertFalse(r.isClean());
    }

    @Test
    void connectionsThatDrainLaterEndTheWaitEarly() throws Exception {
        FakeLoop a = new FakeLoop("a", 2, 0, 0);
        CompletableFuture<ShutdownReport> f = new ShutdownCoordinator(List.of(a), "t3").shutdown(Duration.ofSeconds(20));
        while (a.hook == null) {
            Thread.sleep(5); // the drain starts on the coordinator's thread
        }
        a.hook.drained(0, true);
        assertFalse(f.isDone(), "one connection still owes replies");
        a.hook.drained(0, true);
        ShutdownReport r = await(f);
        assertEquals(2, r.drained());
        assertEquals(0, r.forced());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(20)) < 0);
    }

    @Test
    void shutdownNowStopsWaitingWithoutCallingItATimeout() throws Exception {
        FakeLoop a = new FakeLoop("a", 1, 0, 0);
        ShutdownCoordinator c = new ShutdownCoordinator(List.of(a), "t4");
        CompletableFuture<ShutdownReport> first = c.shutdown(Duration.ofHours(1));
        while (a.hook == null) {
            Thread.sleep(5);
        }
        assertSame(first, c.shutdownNow(), "one shutdown, one report");
        ShutdownReport r = await(first);
        assertEquals(1, r.forced());
        assertFalse(r.timedOut(), "forced on request, not by the timeout");
        assertTrue(a.hook.forcing(), "late arrivals are closed at once from now on");
    }

    @Test
    void everyCallerGetsTheSameFutureAndTheShutdownRunsOnce() throws Exception {
        FakeLoop a = new FakeLoop("a", 0, 0, 0);
        ShutdownCoordinator c = new ShutdownCoordinator(List.of(a), "t5");
        assertFalse(c.isStarted());
        CompletableFuture<ShutdownReport> f = c.shutdown(Duration.ofSeconds(1));
        assertTrue(c.isStarted());
        assertSame(f, c.shutdown(Duration.ZERO));
        await(f);
        assertSame(f, c.shutdown(Duration.ofSeconds(1)));
        assertEquals(1, events.stream().filter(e -> e.equals("a drain")).count());
    }

    @Test
    void loopsThatAlreadyEndedDoNotHoldTheShutdownUp() throws Exception {
        FakeLoop dead = new FakeLoop("dead", 5, 0, 0);
        dead.ended = true;
        dead.failure = new IllegalStateException("poller broke");
        FakeLoop live = new FakeLoop("live", 1, 1, 0);
        ShutdownReport r = await(new ShutdownCoordinator(List.of(dead, live), "t6").shutdown(Duration.ofSeconds(10)));

        assertEquals(List.of("live listeners", "live drain", "dead stop", "live stop"), events);
        assertEquals(1, r.openAtStart());
        assertSame(dead.failure, r.loopFailure());
        assertFalse(r.isClean(), "a loop failure mars the shutdown");
    }

    @Test
    void aCleanShutdownReportsNoLoopFailure() throws Exception {
        ShutdownReport r = await(new ShutdownCoordinator(List.of(new FakeLoop("a", 0, 0, 0)), "t7")
                .shutdown(Duration.ZERO));
        assertNull(r.loopFailure());
        assertTrue(r.isClean());
    }
}
