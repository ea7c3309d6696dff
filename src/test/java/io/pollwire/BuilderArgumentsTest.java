// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Arguments of the public API that are checked before anything starts. */
class BuilderArgumentsTest {
    @Test
    void nullTimeoutsNameTheParameter() {
        NullPointerException idle = assertThrows(NullPointerException.class,
                () -> Server.builder().idleTimeout(null));
        assertEquals("timeout", idle.getMessage());
        NullPointerException shutdown = assertThrows(NullPointerException.class,
                () -> Server.builder().shutdownTimeout(null));
        assertEquals("timeout", shutdown.getMessage());
        NullPointerException connect = assertThrows(NullPointerException.class,
                () -> Client.builder().connectTimeout(null));
        assertEquals("timeout", connect.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Server.builder().connectTimeout(Duration.ofMillis(-1)));
        assertEquals("negative connect timeout: PT-0.001S", negative.getMessage());
    }

    @Test
    void reportCountsInTheSingular() {
        ShutdownReport one = new ShutdownReport(1, 1, 0, 0, 0, 0, 0, Duration.ofMillis(3), false, null);
        assertTrue(one.toString().startsWith("shutdown: 1 connection open, 1 drained (1 idle closed, 0 after their "
                + "replies), 0 forced"), one.toString());
        ShutdownReport two = new ShutdownReport(2, 2, 0, 0, 0, 0, 0, Duration.ofMillis(3), false, null);
        assertTrue(two.toString().startsWith("shutdown: 2 connections open"), two.toString());
    }
}
