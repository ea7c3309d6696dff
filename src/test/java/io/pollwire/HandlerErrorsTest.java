// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The default onError logging is rate-limited per loop thread, not per process. */
class HandlerErrorsTest {
    private static final Connection CONNECTION = (Connection) Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
            (proxy, method, args) -> method.getName().equals("id") ? 42L : null);

    @Test
    void aSecondErrorOnTheSameLoopWithinASecondIsOnlyCounted() {
        RuntimeException error = new RuntimeException("handler bug (expected in this test)");
        // one thread, as one loop: the first error of this fresh thread is logged, the next not
        AtomicBoolean first = new AtomicBoolean();
        AtomicBoolean second = new AtomicBoolean(true);
        runOnNewThread(() -> {
            first.set(HandlerErrors.log(CONNECTION, error));
            second.set(HandlerErrors.log(CONNECTION, error));
        });
        assertTrue(first.get());
        assertFalse(second.get());
    }

    @Test
    void anotherLoopIsNotSilencedByTheFirst() {
        RuntimeException error = new RuntimeException("handler bug (expected in this test)");
        AtomicBoolean loopA = new AtomicBoolean();
        AtomicBoolean loopB = new AtomicBoolean();
        runOnNewThread(() -> {
            loopA.set(HandlerErrors.log(CONNECTION, error));
            runOnNewThread(() -> loopB.set(HandlerErrors.log(CONNECTION, error)));
        });
        assertTrue(loopA.get());
        assertTrue(loopB.get(), "a storm on one loop must not hide the first error of another");
    }

    private static void runOnNewThread(Runnable r) {
        Thread t = new Thread(r, "handler-errors-test");
        t.start();
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (t.isAlive()) {
            throw new AssertionError("test thread hung");
        }
    }
}
