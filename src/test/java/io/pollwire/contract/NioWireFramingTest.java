// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** {@link WireFramingContract} over the JDK's NIO Selector: runs everywhere. */
class NioWireFramingTest extends WireFramingContract {
    NioWireFramingTest() {
        super(Transport.NIO);
    }
}
