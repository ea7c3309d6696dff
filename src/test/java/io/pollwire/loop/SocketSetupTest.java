// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.SocketOptions;
import io.pollwire.Transport;
import io.pollwire.testing.NativeSupport;
import io.pollwire.transport.Backend;
import io.pollwire.transport.NetSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SocketOptions} reach the kernel the same way on every transport: each option is read
 * back with getsockopt after {@link SocketSetup#apply} (on a fresh socket, as for an outbound one
 * before its connect; accepted ones go through the same call). Linux doubles buffer sizes.
 */
class SocketSetupTest {
    private static final InetSocketAddress SOMEWHERE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    private static Backend backend(String name) {
        if (name.equals("EPOLL")) {
            NativeSupport.assumeAvailable(Transport.EPOLL);
        }
        return Backend.valueOf(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EPOLL", "NIO"})
    void everyOptionIsSetOnATcpSocket(String transport) throws Exception {
        NetSocket s = backend(transport).newSocket(SOMEWHERE);
        try {
            SocketOptions o = SocketOptions.defaults()
                    .keepAlive(Duration.ofSeconds(45), Duration.ofSeconds(7), 3)
                    .receiveBufferSize(96 * 1024)
                    .sendBufferSize(80 * 1024)
                    .linger(Duration.ofSeconds(2));
            SocketSetup.apply(s, o);
            assertEquals(1, s.intOption("TCP_NODELAY"), "TCP_NODELAY is on by default");
            assertEquals(1, s.intOption("SO_KEEPALIVE"));
            assertEquals(45, s.intOption("TCP_KEEPIDLE"));
            assertEquals(7, s.intOption("TCP_KEEPINTVL"));
            assertEquals(3, s.intOption("TCP_KEEPCNT"));
            assertTrue(s.intOption("SO_RCVBUF") >= 96 * 1024, "SO_RCVBUF " + s.intOption("SO_RCVBUF"));
            assertTrue(s.intOption("SO_SNDBUF") >= 80 * 1024, "SO_SNDBUF " + s.intOption("SO_SNDBUF"));
            assertEquals(2, s.intOption("SO_LINGER"));
        } finally {
            s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"EPOLL", "NIO"})
    void defaultsLeaveKeepAliveAndLingerOff(String transport) throws Exception {
        NetSocket s = backend(transport).newSocket(SOMEWHERE);
        try {
            SocketSetup.apply(s, SocketOptions.defaults().tcpNoDelay(false));
            assertEquals(0, s.intOption("TCP_NODELAY"));
            assertEquals(0, s.intOption("SO_KEEPALIVE"));
            assertEquals(-1, s.intOption("SO_LINGER"));
        } finally {
            s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"EPOLL", "NIO"})
    void unixSocketsTakeTheBufferSizesAndSkipTcpOptions(String transport) throws Exception {
        NetSocket s = backend(transport).newSocket(UnixDomainSocketAddress.of("/tmp/pollwire-never-bound.sock"));
        try {
            assertFalse(s.isTcp());
            SocketSetup.apply(s, SocketOptions.defaults().keepAlive(true).sendBufferSize(64 * 1024));
            assertTrue(s.intOption("SO_SNDBUF") >= 64 * 1024, "SO_SNDBUF " + s.intOption("SO_SNDBUF"));
        } finally {
            s.close();
        }
    }
}
