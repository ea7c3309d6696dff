package io.pollwire.transport;

import io.pollwire.transport.epoll.EpollPoller;
import io.pollwire.transport.kqueue.KqueuePoller;
import io.pollwire.transport.loader.NativeLibrary;
import io.pollwire.transport.loader.Platform;
import io.pollwire.transport.nio.NioListener;
import io.pollwire.transport.nio.NioPoller;
import io.pollwire.transport.unix.FdListener;
import io.pollwire.transport.unix.NativeIoException;
import java.io.IOException;
import java.net.InetSocketAddress;

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
     * @param address where to listen; port 0 picks a free port
     * @param backlog the listen queue length
     * @param reusePort set {@code SO_REUSEPORT} so several listeners share the port
     * @throws UnsupportedOperationException when this backend is not available here
     * @throws java.net.BindException naming the address, on every backend, when it cannot be
     *     bound (in use, not available, not permitted)
     * @throws IOException when another step fails
     */
    public NetListener listen(InetSocketAddress address, int backlog, boolean reusePort)
            throws IOException {
        try {
            switch (this) {
                case EPOLL:
                case KQUEUE:
                    ensureAvailable();
                    return FdListener.open(address, backlog, reusePort);
                default:
                    return NioListener.open(address, backlog, reusePort);
            }
        } catch (java.net.BindException e) { // NIO: the kernel's words, without the address
            throw bindFailed(address, e.getMessage(), e);
        } catch (NativeIoException e) { // EPOLL/KQUEUE: bind(addr) failed: <strerror> (errno N)
            if (!e.operation().equals("bind")) {
                throw e;
            }
            throw bindFailed(address, e.getMessage(), e);
        }
    }

    private static java.net.BindException bindFailed(InetSocketAddress address, String why, IOException cause) {
        String host = address.getAddress().getHostAddress();
        java.net.BindException b = new java.net.BindException("cannot bind "
                + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + ": " + why);
        b.initCause(cause);
        return b;
    }
}
