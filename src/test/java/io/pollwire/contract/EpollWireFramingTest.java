// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** {@link WireFramingContract} over epoll (Linux, native library). */
@Tag("native")
class EpollWireFramingTest extends WireFramingContract {
    EpollWireFramingTest() {
        super(Transport.EPOLL);
    }
}
