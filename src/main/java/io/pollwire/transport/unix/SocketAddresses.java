// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Converts between {@link InetSocketAddress} and the byte layout socket.c uses. */
public final class SocketAddresses {
    private SocketAddresses() {}

    /** @return the 4 or 16 address bytes */
    static byte[] bytes(InetSocketAddress address) {
        return address.getAddress().getAddress();
    }

    /** @return the IPv6 scope id, 0 for IPv4 or unscoped addresses */
    static int scopeId(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        return a instanceof Inet6Address ? ((Inet6Address) a).getScopeId() : 0;
    }

    /** @return true when the address needs an AF_INET6 socket */
    static boolean isIpv6(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address;
    }

    /** Decodes the 24-byte layout written by {@code localAddress}/{@code peerAddress}. */
    static InetSocketAddress decode(byte[] raw) {
        int port = ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
        try {
            if (raw[0] == 4) {
                byte[] a = new byte[4];
                System.arraycopy(raw, 8, a, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(a), port);
            }
            byte[] a = new byte[16];
            System.arraycopy(raw, 8, a, 0, 16);
            int scope = ((raw[4] & 0xff) << 24) | ((raw[5] & 0xff) << 16)
                    | ((raw[6] & 0xff) << 8) | (raw[7] & 0xff);
            InetAddress address = scope != 0 ? Inet6Address.getByAddress(null, a, scope)
                    : InetAddress.getByAddress(a);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("malformed address from socket.c", e);
        }
    }

    /** @return the address of {@code fd} (local or peer), or null when the call fails */
    static InetSocketAddress query(int fd, boolean peer) {
        byte[] raw = new byte[24];
        int r = peer ? NativeSocket.peerAddress(fd, raw) : NativeSocket.localAddress(fd, raw);
        return r < 0 ? null : decode(raw);
    }
}
