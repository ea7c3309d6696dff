// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** The proxy example over NIO. */
class NioProxyTest extends ProxyContract {
    NioProxyTest() {
        super(Transport.NIO);
    }
}
