// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A socket of the native transports (epoll, kqueue): a file descriptor, TCP or Unix domain,
 * accepted or connecting out. The addresses of a Unix domain socket are known to Java (the
 * listener's path, an unnamed peer), so only TCP asks the kernel for them.
 */
public final class FdSocket extends NetSocket implements FdHandle {
    /** The peer of an accepted Unix domain connection: unnamed, as the JDK reports it. */
    static final UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

    private int fd;
    private SocketAddress remote;
    private final SocketAddress unixLocal;
    private final boolean unix;

    /** @param fd a connected, non-blocking, close-on-exec TCP socket this object now owns */
    public FdSocket(int fd) {
        this(fd, false, null, null);
    }

    private FdSocket(int fd, boolean unix, SocketAddress unixLocal, SocketAddress remote) {
        this.fd = fd;
        this.unix = unix;
        this.unixLocal = unixLocal;
        this.remote = remote;
    }

    /** @return an accepted Unix domain socket of the listener bound at {@code local} */
    static FdSocket acceptedUnix(int fd, UnixDomainSocketAddress local) {
        return new FdSocket(fd, true, local, UNNAMED);
    }

    /**
     * Creates an unconnected socket of {@code remote}'s family, for {@link #startConnect()}.
     *
     * @param remote a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @throws NativeIoException when the kernel refuses a socket (EMFILE...)
     */
    public static FdSocket create(SocketAddress remote) throws NativeIoException {
        if (remote instanceof UnixDomainSocketAddress) {
            return new FdSocket(NativeSocket.check("socket", NativeSocket.unixSocket()), true, UNNAMED, remote);
        }
        InetSocketAddress in = (InetSocketAddress) remote;
        int fd = NativeSocket.check("socket", NativeSocket.socket(SocketAddresses.isIpv6(in)));
        return new FdSocket(fd, false, null, remote);
    }

    @Override
    public boolean startConnect() throws NativeIoException {
        int r;
        if (unix) {
            r = NativeSocket.unixConnect(fd, pathBytes((UnixDomainSocketAddress) remote));
        } else {
            InetSocketAddress in = (InetSocketAddress) remote;
            r = NativeSocket.connect(fd, SocketAddresses.bytes(in), SocketAddresses.scopeId(in), in.getPort());
        }
        if (r == 0) {
            return true;
        }
        if (r == -Errno.EINPROGRESS || r == -Errno.EINTR) {
            return false; // EINTR: the connect goes on asynchronously, says connect(2)
        }
        throw new NativeIoException("connect", -r, String.valueOf(remote));
    }

    /** The bare syscall mirror: throws {@code -SO_ERROR} of a finished connect, else returns. */
    public void finishConnect() throws NativeIoException {
        NativeSocket.check("connect", NativeSocket.finishConnect(fd));
    }

    @Override
    public boolean finishConnect(int pollerError) throws NativeIoException {
        int r = NativeSocket.finishConnect(fd);
        if (r == 0 && pollerError > 0) {
            r = -pollerError; // libkqueue read (and so cleared) SO_ERROR to report it with EV_EOF
        }
        if (r == 0 && !unix) {
            // no error known, yet no peer either: the connect failed, its reason lost
            r = NativeSocket.peerAddress(fd, new byte[24]);
        }
        if (r < 0) {
            throw new NativeIoException("connect", -r, String.valueOf(remote));
        }
        return true;
    }

    /** @return the path as the bytes the kernel compares (the platform's file name encoding) */
    static byte[] pathBytes(UnixDomainSocketAddress address) throws NativeIoException {
        byte[] b = address.getPath().toString().getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > NativeSocket.unixMaxPath()) {
            throw new NativeIoException("sockaddr_un", Errno.ENAMETOOLONG,
                    address.getPath() + ": " + b.length + " bytes, at most " + NativeSocket.unixMaxPath());
        }
        return b;
    }

    @Override
    public boolean isTcp() {
        return !unix;
    }

    /**
     * Opens a non-blocking connection (used by tests and clients).
     *
     * @return the socket; connecting may still be in progress (wait for WRITE, then
     *     {@link #finishConnect(int)})
     * @throws NativeIoException when the socket cannot be created or the connect fails at once
     */
    public static FdSocket connect(InetSocketAddress address) throws NativeIoException {
        FdSocket s = create(address);
        try {
            s.startConnect();
            return s;
        } catch (NativeIoException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int read(IoBuffer dst, int offset, int length) throws IOException {
        int r = NativeSocket.read(fd, dst.address() + offset, length);
        if (r > 0) {
            return r;
        }
        if (r == 0) {
            return -1;
        }
        if (r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return 0;
        }
        throw new NativeIoException("read", -r);
    }

    @Override
    public int write(IoBuffer src, int offset, int length) throws IOException {
        int r = NativeSocket.write(fd, src.address() + offset, length);
        if (r >= 0) {
            return r;
        }
        if (r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return 0;
        }
        throw new NativeIoException("send", -r);
    }

    @Override
    public long write(WriteBatch batch) throws IOException {
        long r = NativeSocket.writev(fd, batch.iovAddress(), batch.count());
        if (r >= 0) {
            return r;
        }
        if (r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return 0;
        }
        throw new NativeIoException("sendmsg", (int) -r);
    }

    @Override
    public long unacknowledgedBytes() {
        int n = fd < 0 ? -1 : NativeSocket.unacknowledged(fd);
        return n < 0 ? -1 : n;
    }

    @Override
    public void shutdownOutput() throws IOException {
        NativeSocket.check("shutdown", NativeSocket.shutdown(fd, SocketOption.SHUT_WR));
    }

    @Override
    public void close() {
        if (fd >= 0) {
            NativeSocket.close(fd);
            fd = -1;
        }
    }

    @Override
    public void setLinger(int seconds) throws IOException {
        NativeSocket.check("setsockopt(SO_LINGER)", NativeSocket.setLinger(fd, seconds >= 0, Math.max(0, seconds)));
    }

    @Override
    public void setKeepAlive(boolean on, int idleSeconds, int intervalSeconds, int count) throws IOException {
        setInt("SO_KEEPALIVE", SocketOption.SOL_SOCKET, SocketOption.SO_KEEPALIVE, on ? 1 : 0);
        if (on && idleSeconds > 0) {
            setInt("TCP_KEEPIDLE", SocketOption.IPPROTO_TCP, SocketOption.TCP_KEEPIDLE, idleSeconds);
        }
        if (on && intervalSeconds > 0) {
            setInt("TCP_KEEPINTVL", SocketOption.IPPROTO_TCP, SocketOption.TCP_KEEPINTVL, intervalSeconds);
        }
        if (on && count > 0) {
            setInt("TCP_KEEPCNT", SocketOption.IPPROTO_TCP, SocketOption.TCP_KEEPCNT, count);
        }
    }

    @Override
    public void setBufferSizes(int receiveBytes, int sendBytes) throws IOException {
        if (receiveBytes > 0) {
            setInt("SO_RCVBUF", SocketOption.SOL_SOCKET, SocketOption.SO_RCVBUF, receiveBytes);
        }
        if (sendBytes > 0) {
            setInt("SO_SNDBUF", SocketOption.SOL_SOCKET, SocketOption.SO_SNDBUF, sendBytes);
        }
    }

    private void setInt(String what, int level, int name, int value) throws IOException {
        if (name < 0) { // the platform has no such option (see library.c)
            throw new NativeIoException("setsockopt(" + what + ")", Errno.ENOPROTOOPT, "not on this platform");
        }
        NativeSocket.check("setsockopt(" + what + ")", NativeSocket.setIntOption(fd, level, name, value));
    }

    @Override
    public int intOption(String name) throws IOException {
        switch (name) {
            case "SO_RCVBUF": return getInt(SocketOption.SOL_SOCKET, SocketOption.SO_RCVBUF);
            case "SO_SNDBUF": return getInt(SocketOption.SOL_SOCKET, SocketOption.SO_SNDBUF);
            case "SO_KEEPALIVE": return getInt(SocketOption.SOL_SOCKET, SocketOption.SO_KEEPALIVE);
            case "TCP_NODELAY": return getInt(SocketOption.IPPROTO_TCP, SocketOption.TCP_NODELAY);
            case "TCP_KEEPIDLE": return getInt(SocketOption.IPPROTO_TCP, SocketOption.TCP_KEEPIDLE);
            case "TCP_KEEPINTVL": return getInt(SocketOption.IPPROTO_TCP, SocketOption.TCP_KEEPINTVL);
            case "TCP_KEEPCNT": return getInt(SocketOption.IPPROTO_TCP, SocketOption.TCP_KEEPCNT);
            case "SO_LINGER":
                int linger = NativeSocket.check("getsockopt(SO_LINGER)", NativeSocket.getLinger(fd));
                return linger == Integer.MAX_VALUE ? -1 : linger;
            default: throw new IllegalArgumentException("unknown option " + name);
        }
    }

    private int getInt(int level, int name) throws IOException {
        return NativeSocket.check("getsockopt", NativeSocket.getIntOption(fd, level, name));
    }

    @Override
    public void setTcpNoDelay(boolean on) throws IOException {
        NativeSocket.check("setsockopt(TCP_NODELAY)", NativeSocket.setIntOption(fd,
                SocketOption.IPPROTO_TCP, SocketOption.TCP_NODELAY, on ? 1 : 0));
    }

    @Override
    public SocketAddress localAddress() {
        if (unix) {
            return fd < 0 ? null : unixLocal;
        }
        return fd < 0 ? null : SocketAddresses.query(fd, false);
    }

    @Override
    public SocketAddress remoteAddress() {
        // Cached: after a reset getpeername fails, but callbacks still want to know who it was.
        if (remote == null && fd >= 0) {
            remote = SocketAddresses.query(fd, true);
        }
        return remote;
    }

    @Override
    public boolean isConnectionReset(IOException error) {
        return error instanceof NativeIoException
                && (((NativeIoException) error).errno() == Errno.ECONNRESET
                        || ((NativeIoException) error).errno() == Errno.EPIPE);
    }

    @Override
    public String toString() {
        return "FdSocket[fd=" + fd + (unix ? ", unix" : "") + "]";
    }
}
