// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.NetListener;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.UnixSocketFiles;
import java.io.IOException;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;

/**
 * A listening Unix domain socket of the native transports, on a file path: a stale socket file
 * left there is replaced, a live server's path refused, and the file removed on close (see
 * {@link UnixSocketFiles}). Accepted sockets are {@link FdSocket}s like TCP ones.
 */
public final class FdUnixListener extends NetListener implements FdHandle {
    private int fd;
    private final UnixDomainSocketAddress path;
    private final Object fileKey;

    private FdUnixListener(int fd, UnixDomainSocketAddress path) {
        this.fd = fd;
        this.path = path;
        this.fileKey = UnixSocketFiles.fileKey(path);
    }

    /**
     * Creates, binds and listens.
     *
     * @throws BindException when a live server owns the path, or it is not a socket file
     * @throws IOException e.g. when the path is too long or its directory does not exist
     */
    public static FdUnixListener open(UnixDomainSocketAddress path, int backlog) throws IOException {
        UnixSocketFiles.clearStale(path);
        byte[] name = FdSocket.pathBytes(path);
        int fd = NativeSocket.check("socket", NativeSocket.unixSocket());
        try {
            int r = NativeSocket.unixBind(fd, name);
            if (r == -Errno.EADDRINUSE) { // a server bound it between our check and now
                throw new BindException("Address already in use: " + path.getPath());
            }
            if (r < 0) {
                throw new NativeIoException("bind", -r, path.toString());
            }
            NativeSocket.check("listen", NativeSocket.listen(fd, backlog));
            return new FdUnixListener(fd, path);
        } catch (IOException e) {
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
        int r = FdListener.acceptFd(fd);
        return r < 0 ? null : FdSocket.acceptedUnix(r, path);
    }

    @Override
    public UnixDomainSocketAddress localAddress() {
        return path;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            NativeSocket.close(fd);
            fd = -1;
            UnixSocketFiles.remove(path, fileKey);
        }
    }

    @Override
    public boolean isTransient(IOException error) {
        return error instanceof NativeIoException && ((NativeIoException) error).errno() == Errno.ECONNABORTED;
    }

    @Override
    public String toString() {
        return "FdUnixListener[fd=" + fd + ", " + path + "]";
    }
}
