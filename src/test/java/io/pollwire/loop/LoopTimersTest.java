// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.CloseReason;
import io.pollwire.loop.LoopFixture.FakeSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Loop timers and the sweep, driven with explicit times on a loop that never runs. */
class LoopTimersTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void timersRunInDeadlineOrderOnlyOnceDue() {
        LoopTimers timers = new LoopTimers(new ConnectionSlots(), 0);
        List<String> ran = new ArrayList<>();
        long t0 = System.nanoTime();
        timers.schedule(30 * MS, () -> ran.add("30"));
        timers.schedule(10 * MS, () -> ran.add("10"));
        timers.schedule(20 * MS, () -> ran.add("20"));

        timers.runDue(t0);
        assertEquals(List.of(), ran);
        timers.runDue(t0 + 1_000 * MS);
        assertEquals(List.of("10", "20", "30"), ran);
        timers.runDue(t0 + 2_000 * MS);
        assertEquals(3, ran.size(), "a timer runs once");
    }

    @Test
    void aFailingTimerDoesNotStopTheOthers() {
        LoopTimers timers = new LoopTimers(new ConnectionSlots(), 0);
        List<String> ran = new ArrayList<>();
        timers.schedule(0, () -> {
            throw new IllegalStateException("timer bug");
        });
        timers.schedule(0, () -> ran.add("after"));
        timers.runDue(System.nanoTime() + MS);
        assertEquals(List.of("after"), ran);
    }

    @Test
    void pollTimeoutFollowsTheNextTimerAndIsInfiniteWithoutOne() {
        LoopTimers timers = new LoopTimers(new ConnectionSlots(), 0);
        long now = System.nanoTime();
        assertEquals(-1, timers.pollTimeoutMillis(now), "no idle timeout, no timer: block until an event");

        timers.schedule(50 * MS, () -> {});
        now = System.nanoTime(); // after scheduling: the timer is at most 50 ms away
        int timeout = timers.pollTimeoutMillis(now);
        assertTrue(timeout >= 1 && timeout <= 50, "timeout " + timeout);
        assertEquals(0, timers.pollTimeoutMillis(now + 60 * MS), "a due timer: do not block");
    }

    @Test
    void anIdleTimeoutSchedulesASweepAtAnEighthOfIt() {
        LoopTimers timers = new LoopTimers(new ConnectionSlots(), 800 * MS);
        int timeout = timers.pollTimeoutMillis(System.nanoTime());
        assertTrue(timeout >= 1 && timeout <= 100, "timeout " + timeout);
    }

    @Test
    void aClosingConnectionBringsTheSweepWithinItsCloseTimeout() {
        LoopTimers timers = new LoopTimers(new ConnectionSlots(), 0);
        timers.closingStarted();
        long bound = TimeUnit.NANOSECONDS.toMillis(LoopConnection.CLOSE_TIMEOUT_NANOS / 20);
        int timeout = timers.pollTimeoutMillis(System.nanoTime());
        assertTrue(timeout >= 1 && timeout <= bound, "timeout " + timeout + " > " + bound);
    }

    @Test
    void theSweepClosesOnlyConnectionsIdleForLongerThanTheTimeout() {
        LoopFixture f = new LoopFixture(1_000 * MS);
        LoopConnection quiet = f.adopt(new FakeSocket());
        long t0 = f.loop.now;

        f.loop.timers.runDue(t0 + 500 * MS);
        assertTrue(quiet.isServing(), "half the idle timeout: still open");
        assertEquals(List.of(), f.closes);

        f.loop.now = t0 + 900 * MS;
        LoopConnection busy = f.adopt(new FakeSocket());
        f.loop.timers.runDue(t0 + 1_500 * MS);
        assertTrue(quiet.isClosed());
        assertTrue(busy.isServing(), "active 600 ms ago: kept");
        assertEquals(List.of(CloseReason.IDLE), f.closes);
    }

    @Test
    void theSweepForcesAGracefulCloseThatStalled() {
        LoopFixture f = new LoopFixture(0);
        FakeSocket socket = new FakeSocket();
        socket.unacknowledged = 100; // the peer never acknowledges: lingering still protects replies
        LoopConnection c = f.adopt(socket);
        long t0 = f.loop.now;
        c.closeGracefully(CloseReason.LOCAL, null); // nothing queued: FIN at once, then wait for the peer's
        assertTrue(socket.outputShut);
        assertTrue(c.isClosingGracefully());

        f.loop.timers.runDue(t0 + LoopConnection.CLOSE_TIMEOUT_NANOS / 2);
        assertFalse(c.isClosed(), "within the close timeout the peer may still close");
        f.loop.timers.runDue(t0 + LoopConnection.CLOSE_TIMEOUT_NANOS + MS);
        assertTrue(c.isClosed());
        assertTrue(socket.closed);
        assertEquals(List.of(CloseReason.LOCAL), f.closes, "forced, but with the reason it was closing for");
    }

    @Test
    void idleConnectionsStayWhenNoIdleTimeoutIsSet() {
        LoopFixture f = new LoopFixture(0);
        LoopConnection c = f.adopt(new FakeSocket());
        f.loop.timers.closingStarted(); // makes a sweep run
        f.loop.timers.runDue(f.loop.now + TimeUnit.HOURS.toNanos(1));
        assertTrue(c.isServing());
    }
}
