// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.SocketOptions;
import io.pollwire.transport.NetSocket;
import java.io.IOException;

/**
 * Applies {@link SocketOptions} to a socket, the same way for accepted and outbound ones; TCP-only
 * options are skipped on Unix domain sockets. Buffer sizes go first: on an outbound socket this
 * runs before connect, so {@code SO_RCVBUF} still shapes the window scale the SYN offers (tcp(7)).
 */
final class SocketSetup {
    private SocketSetup() {}

    /** @throws IOException the first option the kernel refused */
    static void apply(NetSocket socket, SocketOptions o) throws IOException {
        socket.setBufferSizes(o.receiveBufferSize(), o.sendBufferSize());
        if (socket.isTcp()) {
            if (o.tcpNoDelay()) {
                socket.setTcpNoDelay(true);
            }
            if (o.keepAlive()) {
                socket.setKeepAlive(true, o.keepIdleSeconds(), o.keepIntervalSeconds(), o.keepCount());
            }
        }
        if (o.lingerSeconds() >= 0) {
            socket.setLinger(o.lingerSeconds());
        }
    }
}
