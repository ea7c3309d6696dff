// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** {@link ShutdownContract} over the JDK's NIO Selector: runs everywhere. */
class NioShutdownTest extends ShutdownContract {
    NioShutdownTest() {
        super(Transport.NIO);
    }
}
