// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** Outbound connections over NIO. */
class NioOutboundTest extends OutboundContract {
    NioOutboundTest() {
        super(Transport.NIO);
    }
}
