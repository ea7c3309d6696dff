// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/**
 * {@link StatsContract} over kqueue: on macOS/BSD with the bundled library, on Linux in the
 * {@code kqueue-libkqueue} surefire execution against the libkqueue test build.
 */
@Tag("native")
@Tag("kqueue")
class KqueueStatsTest extends StatsContract {
    KqueueStatsTest() {
        super(Transport.KQUEUE);
    }
}
