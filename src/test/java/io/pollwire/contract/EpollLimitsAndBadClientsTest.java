// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** {@link LimitsAndBadClientsContract} over epoll (Linux, native library). */
@Tag("native")
class EpollLimitsAndBadClientsTest extends LimitsAndBadClientsContract {
    EpollLimitsAndBadClientsTest() {
        super(Transport.EPOLL);
    }
}
