package io.pollwire.transport;

import io.pollwire.transport.epoll.EpollPoller;
import io.pollwire.transport.kqueue.KqueuePoller;
import io.pollwire.transport.nio.NioListener;
import io.pollwire.transport.nio.NioPoller;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Creates the pollers and listeners of a concrete {@link Transport}. Internal. */
public final class Transports {
    private Transports() {}

    /**
     * @param transport a concrete, available transport (not AUTO)
     * @param maxEvents most events one poll returns
     */
    public static Poller newPoller(Transport transport, int maxEvents) throws IOException {
        switch (transport) {
            case EPOLL:
                transport.ensureAvailable();
                return new EpollPoller(maxEvents);
            case KQUEUE:
                transport.ensureAvailable();
                return new KqueuePoller(maxEvents);
            case NIO:
                return new NioPoller(maxEvents);
            default:
                throw new IllegalArgumentException("resolve " + transport + " first");
        }
    }

    /** Opens a listener of the given transport's kind. */
    public static NetListener listen(Transport transport, InetSocketAddress address, int backlog,
            boolean reusePort) throws IOException {
        switch (transport) {
            case EPOLL:
            case KQUEUE:
                transport.ensureAvailable();
                return FdListener.open(address, backlog, reusePort);
            case NIO:
                return NioListener.open(address, backlog, reusePort);
            default:
                throw new IllegalArgumentException("resolve " + transport + " first");
        }
    }
}
