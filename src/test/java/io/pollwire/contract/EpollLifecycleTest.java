// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** {@link LifecycleContract} over epoll (Linux, native library). */
@Tag("native")
class EpollLifecycleTest extends LifecycleContract {
    EpollLifecycleTest() {
        super(Transport.EPOLL);
    }
}
