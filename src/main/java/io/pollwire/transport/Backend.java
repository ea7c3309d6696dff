// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import io.pollwire.transport.epoll.EpollPoller;
import io.pollwire.transport.kqueue.KqueuePoller;
import io.pollwire.transport.loader.NativeLibrary;
import io.pollwire.transport.loader.Platform;
import io.pollwire.transport.nio.NioListener;
import io.pollwire.transport.nio.NioPoller;
import io.pollwire.transport.nio.NioSocket;
import io.pollwire.transport.unix.FdListener;
import io.pollwire.transport.unix.FdSocket;
import io.pollwire.transport.unix.FdUnixListener;
import io.pollwire.transport.unix.NativeIoException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * A concrete poller implementation: whether it can run here, and its pollers and listeners.
 * Internal; the public face is {@code io.pollwire.Transport}, whose concrete values share
 * these names ({@code Backend.valueOf(transport.name())}).
 */
public enum Backend {
    /** Linux epoll through libpollwire. */
    EPOLL("epoll"),
    /** BSD/macOS kqueue through libpollwire. */
    KQUEUE("kqueue"),
    /** The JDK's NIO Selector: always available. */
    NIO(null);

    private final String nativeBackend;

    Backend(String nativeBackend) {
        this.nativeBackend = nativeBackend;
    }

    /**
     * Why this backend cannot be used here: the loader's own failure, or a note that the
     * library was built for the other native backend.
     *
     * @return the cause, or null when it can be used
     */
    public Throwable unavailabilityCause() {
        if (nativeBackend == null) {
            return null;
        }
        Throwable cause = NativeLibrary.unavailabilityCause();
        if (cause != null) {
            return cause;
        }
        if (!nativeBackend.equals(NativeLibrary.backend())) {
            return new UnsupportedOperationException(name() + " is not supported on "
                    + Platform.classifier() + ": libpollwire was built with the "
                    + NativeLibrary.backend() + " backend");
        }
        return null;
    }

    private void ensureAvailable() {
        Throwable cause = unavailabilityCause();
        if (cause != null) {
            throw new UnsupportedOperationException(
                    name() + " transport unavailable: " + NativeLibrary.describe(cause), cause);
        }
    }

    /**
     * @param maxEvents most events one poll returns
     * @return a new poller of this backend
     * @throws UnsupportedOperationException when this backend is not available here
     * @throws IOException when the kernel refuses the poller's descriptors
     */
    public Poller newPoller(int maxEvents) throws IOException {
        switch (this) {
            case EPOLL:
                ensureAvailable();
                return new EpollPoller(maxEvents);
            case KQUEUE:
                ensureAvailable();
                return new KqueuePoller(maxEvents);
            default:
                return new NioPoller(maxEvents);
        }
    }

    /**
     * Opens a listener of this backend's kind.
     *
     * @param address where to listen: an {@link InetSocketAddress} (port 0 picks a free port)
     *     or a {@link UnixDomainSocketAddress} (a stale socket file there is replaced)
     * @param backlog the listen queue length
     * @param reusePort set {@code SO_REUSEPORT} so several listeners share the port (TCP only)
     * @throws UnsupportedOperationException when this backend is not available here
     * @throws java.net.BindException naming the address, on every backend, when it cannot be
     *     bound (in use, not available, not permitted)
     * @throws IOException when another step fails
     */
    public NetListener listen(SocketAddress address, int backlog, boolean reusePort) throws IOException {
        if (this != NIO) {
            ensureAvailable();
        }
        try {
            if (address instanceof UnixDomainSocketAddress) {
                UnixDomainSocketAddress path = (UnixDomainSocketAddress) address;
                return this == NIO ? NioListener.open(path, backlog) : FdUnixListener.open(path, backlog);
            }
            InetSocketAddress in = (InetSocketAddress) address;
            return this == NIO ? NioListener.open(in, backlog, reusePort) : FdListener.open(in, backlog, reusePort);
        } catch (java.net.BindException e) { // NIO: the kernel's words, without the address
            throw bindFailed(address, e.getMessage(), e);
        } catch (NativeIoException e) { // EPOLL/KQUEUE: bind(addr) failed: <strerror> (errno N)
            if (!e.operation().equals("bind")) {
                throw e;
            }
            throw bindFailed(address, e.getMessage(), e);
        }
    }

    /**
     * Creates an unconnected non-blocking socket for an outbound connection to {@code remote};
     * set its options, register it, then {@link NetSocket#startConnect()}.
     *
     * @param remote a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @throws IOException when no socket can be had (EMFILE...)
     */
    public NetSocket newSocket(SocketAddress remote) throws IOException {
        if (this == NIO) {
            return NioSocket.create(remote);
        }
        ensureAvailable();
        return FdSocket.create(remote);
    }

    private static java.net.BindException bindFailed(SocketAddress address, String why, IOException cause) {
        String where;
        if (address instanceof InetSocketAddress) {
            String host = ((InetSocketAddress) address).getAddress().getHostAddress();
            where = (host.contains(":") ? "[" + host + "]" : host) + ":" + ((InetSocketAddress) address).getPort();
        } else {
            where = address.toString(); // a Unix domain socket path
        }
        java.net.BindException b = new java.net.BindException("cannot bind " + where + ": " + why);
        b.initCause(cause);
        return b;
    }
}
