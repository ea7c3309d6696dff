// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** {@link StatsContract} over the JDK's NIO Selector: runs everywhere. */
class NioStatsTest extends StatsContract {
    NioStatsTest() {
        super(Transport.NIO);
    }
}
