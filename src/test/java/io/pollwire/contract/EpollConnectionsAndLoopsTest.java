// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** {@link ConnectionsAndLoopsContract} over epoll (Linux, native library). */
@Tag("native")
class EpollConnectionsAndLoopsTest extends ConnectionsAndLoopsContract {
    EpollConnectionsAndLoopsTest() {
        super(Transport.EPOLL);
    }
}
