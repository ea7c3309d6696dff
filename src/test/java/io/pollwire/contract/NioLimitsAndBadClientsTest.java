// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** {@link LimitsAndBadClientsContract} over the JDK's NIO Selector: runs everywhere. */
class NioLimitsAndBadClientsTest extends LimitsAndBadClientsContract {
    NioLimitsAndBadClientsTest() {
        super(Transport.NIO);
    }
}
