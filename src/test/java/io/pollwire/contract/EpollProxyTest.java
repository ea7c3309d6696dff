// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** The proxy example over EPOLL. */
@Tag("native")
class EpollProxyTest extends ProxyContract {
    EpollProxyTest() {
        super(Transport.EPOLL);
    }
}
