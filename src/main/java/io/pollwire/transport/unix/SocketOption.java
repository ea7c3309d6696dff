// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.loader.NativeLibrary;

/**
 * Socket call arguments of this platform, read from C on first use: setsockopt levels and names,
 * and shutdown(2)'s {@code how}.
 */
public final class SocketOption {
    static {
        NativeLibrary.ensureLoaded(); // whoever touches this class first, the library is there
    }

    public static final int SOL_SOCKET = NativeSocket.constant(NativeSocket.K_SOL_SOCKET);
    public static final int IPPROTO_TCP = NativeSocket.constant(NativeSocket.K_IPPROTO_TCP);
    public static final int SO_REUSEADDR = NativeSocket.constant(NativeSocket.K_SO_REUSEADDR);
    /** Negative when the platform has no {@code SO_REUSEPORT}. */
    public static final int SO_REUSEPORT = NativeSocket.constant(NativeSocket.K_SO_REUSEPORT);
    public static final int SO_KEEPALIVE = NativeSocket.constant(NativeSocket.K_SO_KEEPALIVE);
    public static final int SO_RCVBUF = NativeSocket.constant(NativeSocket.K_SO_RCVBUF);
    public static final int SO_SNDBUF = NativeSocket.constant(NativeSocket.K_SO_SNDBUF);
    public static final int TCP_NODELAY = NativeSocket.constant(NativeSocket.K_TCP_NODELAY);
    /** shutdown(2): no more receptions. */
    public static final int SHUT_RD = NativeSocket.constant(NativeSocket.K_SHUT_RD);
    /** shutdown(2): no more transmissions; the peer reads end of stream (our FIN). */
    public static final int SHUT_WR = NativeSocket.constant(NativeSocket.K_SHUT_WR);
    /** shutdown(2): both. */
    public static final int SHUT_RDWR = NativeSocket.constant(NativeSocket.K_SHUT_RDWR);
    /** Idle seconds before the first keep-alive probe (macOS: TCP_KEEPALIVE); negative if absent. */
    public static final int TCP_KEEPIDLE = NativeSocket.constant(NativeSocket.K_TCP_KEEPIDLE);
    /** Seconds between keep-alive probes; negative if absent. */
    public static final int TCP_KEEPINTVL = NativeSocket.constant(NativeSocket.K_TCP_KEEPINTVL);
    /** Unanswered probes before the connection is dropped; negative if absent. */
    public static final int TCP_KEEPCNT = NativeSocket.constant(NativeSocket.K_TCP_KEEPCNT);

    private SocketOption() {}
}
