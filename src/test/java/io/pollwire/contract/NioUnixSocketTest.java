// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;

/** Unix domain sockets over NIO ({@code StandardProtocolFamily.UNIX}). */
class NioUnixSocketTest extends UnixSocketContract {
    NioUnixSocketTest() {
        super(Transport.NIO);
    }
}
