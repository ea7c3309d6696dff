// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** {@link ConnectionsAndLoopsContract} over the JDK's NIO Selector: runs everywhere. */
class NioConnectionsAndLoopsTest extends ConnectionsAndLoopsContract {
    NioConnectionsAndLoopsTest() {
        super(Transport.NIO);
    }
}
