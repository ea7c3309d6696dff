// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** The proxy example over KQUEUE. */
@Tag("native")
@Tag("kqueue")
class KqueueProxyTest extends ProxyContract {
    KqueueProxyTest() {
        super(Transport.KQUEUE);
    }
}
