// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** {@link StatsContract} over epoll (Linux, native library). */
@Tag("native")
class EpollStatsTest extends StatsContract {
    EpollStatsTest() {
        super(Transport.EPOLL);
    }
}
