// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** Outbound connections over KQUEUE. */
@Tag("native")
@Tag("kqueue")
class KqueueOutboundTest extends OutboundContract {
    KqueueOutboundTest() {
        super(Transport.KQUEUE);
    }
}
