// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** Outbound connections over EPOLL. */
@Tag("native")
class EpollOutboundTest extends OutboundContract {
    EpollOutboundTest() {
        super(Transport.EPOLL);
    }
}
