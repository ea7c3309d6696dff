// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.NetListener;
import io.pollwire.transport.NetSocket;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A listening socket of the native transports. */
public final class FdListener extends NetListener implements FdHandle {
    private int fd;
    private final InetSocketAddress local;

    private FdListener(int fd) {
        this.fd = fd;
        this.local = SocketAddresses.query(fd, false);
    }

    /**
     * Creates, binds and listens.
     *
     * @param address where to listen; port 0 picks a free port
     * @param backlog the listen queue length
     * @param reusePort set {@code SO_REUSEPORT} so several listeners share the port
     * @return the listener
     * @throws NativeIoException e.g. with errno EADDRINUSE
     */
    public static FdListener open(InetSocketAddress address, int backlog, boolean reusePort)
            throws NativeIoException {
        int fd = NativeSocket.check("socket", NativeSocket.socket(SocketAddresses.isIpv6(address)));
        try {
            NativeSocket.check("setsockopt(SO_REUSEADDR)", NativeSocket.setIntOption(fd,
                    SocketOption.SOL_SOCKET, SocketOption.SO_REUSEADDR, 1));
            if (reusePort) {
                if (SocketOption.SO_REUSEPORT < 0) {
                    throw new NativeIoException("setsockopt(SO_REUSEPORT)", Errno.EPERM,
                            "not supported on this platform");
                }
                NativeSocket.check("setsockopt(SO_REUSEPORT)", NativeSocket.setIntOption(fd,
                        SocketOption.SOL_SOCKET, SocketOption.SO_REUSEPORT, 1));
            }
            int r = NativeSocket.bind(fd, SocketAddresses.bytes(address),
                    SocketAddresses.scopeId(address), address.getPort());
            if (r < 0) {
                throw new NativeIoException("bind", -r, address.toString());
            }
            NativeSocket.check("listen", NativeSocket.listen(fd, backlog));
            return new FdListener(fd);
        } catch (NativeIoException e) {
            NativeSocket.close(fd);
            throw e;
        }
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public NetSocket accept() throws IOException {
        int r = acceptFd(fd);
        return r < 0 ? null : new FdSocket(r);
    }

    /**
     * accept4(2) on a listening descriptor of either family, shared by {@link FdUnixListener}.
     *
     * @return the accepted descriptor, or -1 when none is pending (EAGAIN) or the call was
     *     interrupted (EINTR)
     * @throws NativeIoException for any other error, with its errno
     */
    static int acceptFd(int listenFd) throws NativeIoException {
        int r = NativeSocket.accept(listenFd);
        if (r >= 0) {
            return r;
        }
        if (r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return -1;
        }
        throw new NativeIoException("accept", -r);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            NativeSocket.close(fd);
            fd = -1;
        }
    }

    @Override
    public boolean isTransient(IOException error) {
        if (!(error instanceof NativeIoException)) {
            return false;
        }
        int e = ((NativeIoException) error).errno();
        // accept4(2): errors of one pending connection, or network errors it passes on; retry
        return e == Errno.ECONNABORTED || e == Errno.EPROTO || e == Errno.EPERM
                || e == Errno.ECONNRESET || e == Errno.ETIMEDOUT || e == Errno.ENETDOWN
                || e == Errno.ENOPROTOOPT || e == Errno.EHOSTDOWN || e == Errno.ENONET
                || e == Errno.EHOSTUNREACH || e == Errno.EOPNOTSUPP || e == Errno.ENETUNREACH;
    }

    @Override
    public String toString() {
        return "FdListener[fd=" + fd + ", " + local + "]";
    }
}
