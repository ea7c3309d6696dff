// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** {@link LifecycleContract} over the JDK's NIO Selector: runs everywhere. */
class NioLifecycleTest extends LifecycleContract {
    NioLifecycleTest() {
        super(Transport.NIO);
    }
}
