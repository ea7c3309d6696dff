// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.loop.LoopFixture.FakeListener;
import io.pollwire.loop.LoopFixture.FakeSocket;
import io.pollwire.transport.Poller;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The acceptor's back-off when accept keeps failing (EMFILE), on a loop that never runs. */
class AcceptorTest {
    private static final int TOKEN = Acceptor.LISTENER_TOKEN_BASE;

    private final LoopFixture f = new LoopFixture(0);
    private final FakeListener listener = new FakeListener();

    private void failNextAccepts(int n) {
        for (int i = 0; i < n; i++) {
            listener.script.add(new IOException("Too many open files"));
        }
    }

    /** Runs the timers as if {@code nanos} had passed since now. */
    private void advance(long nanos) {
        f.loop.timers.runDue(System.nanoTime() + nanos);
    }

    @Test
    void aFailingAcceptPausesTheListenerAndDoublesTheDelayUpToTheMaximum() throws Exception {
        f.loop.acceptor.add(listener);
        assertEquals(Poller.READ, f.poller.interest.get(listener));
        failNextAccepts(20);

        f.loop.acceptor.acceptFrom(TOKEN);
        assertEquals(1, listener.accepts, "no retry in a tight loop");
        assertEquals(0, f.poller.interest.get(listener), "paused: the poller no longer watches it");
        assertEquals(Acceptor.BACKOFF_MIN_NANOS, f.loop.acceptor.backoffNanos(0));

        long expected = Acceptor.BACKOFF_MIN_NANOS;
        for (int i = 0; i < 7; i++) { // 10, 20, 40, ... 640 ms, then the 1 s cap
            advance(expected / 2);
            assertEquals(i + 1, listener.accepts, "not retried before the delay");
            advance(expected + TimeUnit.MILLISECONDS.toNanos(1));
            assertEquals(i + 2, listener.accepts, "retried once the delay passed");
            expected = Math.min(Acceptor.BACKOFF_MAX_NANOS, expected * 2);
            assertEquals(expected, f.loop.acceptor.backoffNanos(0));
        }
        assertEquals(Acceptor.BACKOFF_MAX_NANOS, f.loop.acceptor.backoffNanos(0), "capped, not 1.28 s");
    }

    @Test
    void aSuccessfulAcceptEndsTheBurstAndAdoptsTheSocket() throws Exception {
        f.loop.acceptor.add(listener);
        failNextAccepts(3);
        f.loop.acceptor.acceptFrom(TOKEN);
        advance(Acceptor.BACKOFF_MIN_NANOS * 3 / 2); // due: 10 ms; the next one is 20 ms out
        advance(Acceptor.BACKOFF_MIN_NANOS * 3); // due: 20 ms; the next one is 40 ms out
        assertEquals(Acceptor.BACKOFF_MIN_NANOS * 4, f.loop.acceptor.backoffNanos(0));

        FakeSocket socket = new FakeSocket();
        listener.script.add(socket); // the descriptors are back
        advance(Acceptor.BACKOFF_MIN_NANOS * 6);
        assertEquals(Poller.READ, f.poller.interest.get(listener), "watched again");
        assertEquals(0, f.loop.acceptor.backoffNanos(0), "the next failure starts a new burst");
        assertNotNull(f.poller.interest.get(socket), "the accepted socket is registered");
        assertEquals(1, f.loop.slots.openCount());
    }

    @Test
    void aListenerClosedDuringTheBackOffIsNotResumed() throws Exception {
        f.loop.acceptor.add(listener);
        failNextAccepts(1);
        f.loop.acceptor.acceptFrom(TOKEN);
        f.loop.acceptor.closeAll();
        assertTrue(listener.closed);
        advance(Acceptor.BACKOFF_MAX_NANOS);
        assertEquals(1, listener.accepts);
        assertEquals(0, f.poller.interest.get(listener), "not watched again");
    }

    @Test
    void acceptsStopWhenNothingIsWaiting() throws Exception {
        f.loop.acceptor.add(listener);
        listener.script.add(new FakeSocket());
        listener.script.add(new FakeSocket());
        f.loop.acceptor.acceptFrom(TOKEN);
        assertEquals(3, listener.accepts, "two sockets, then null: stop");
        assertEquals(2, f.loop.slots.openCount());
        assertEquals(0, f.loop.acceptor.backoffNanos(0));
    }
}
