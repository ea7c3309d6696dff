package io.pollwire.transport.unix;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A connected socket of the native transports (epoll, kqueue): a file descriptor. */
public final class FdSocket extends NetSocket implements FdHandle {
    private int fd;
    private InetSocketAddress remote;

    /** @param fd a connected, non-blocking, close-on-exec socket this object now owns */
    public FdSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a non-blocking connection (used by tests and clients).
     *
     * @return the socket; connecting may still be in progress (wait for WRITE, then
     *     {@link #finishConnect()})
     * @throws NativeIoException when the socket cannot be created or the connect fails at once
     */
    public static FdSocket connect(InetSocketAddress address) throws NativeIoException {
        int fd = NativeSocket.check("socket", NativeSocket.socket(SocketAddresses.isIpv6(address)));
        int r = NativeSocket.connect(fd, SocketAddresses.bytes(address),
                SocketAddresses.scopeId(address), address.getPort());
        if (r < 0 && -r != Errno.EINPROGRESS) {
            NativeSocket.close(fd);
            throw new NativeIoException("connect", -r, address.toString());
        }
        return new FdSocket(fd);
    }

    /** Completes a non-blocking connect once the socket is writable. */
    public void finishConnect() throws NativeIoException {
        NativeSocket.check("connect", NativeSocket.finishConnect(fd));
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
    public void setLingerZero() throws IOException {
        NativeSocket.check("setsockopt(SO_LINGER)", NativeSocket.setLinger(fd, true, 0));
    }

    @Override
    public void setTcpNoDelay(boolean on) throws IOException {
        NativeSocket.check("setsockopt(TCP_NODELAY)", NativeSocket.setIntOption(fd,
                SocketOption.IPPROTO_TCP, SocketOption.TCP_NODELAY, on ? 1 : 0));
    }

    @Override
    public InetSocketAddress localAddress() {
        return fd < 0 ? null : SocketAddresses.query(fd, false);
    }

    @Override
    public InetSocketAddress remoteAddress() {
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
        return "FdSocket[fd=" + fd + "]";
    }
}
