// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** {@link ShutdownContract} over epoll (Linux, native library). */
@Tag("native")
class EpollShutdownTest extends ShutdownContract {
    EpollShutdownTest() {
        super(Transport.EPOLL);
    }
}
