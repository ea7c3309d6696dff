// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import java.io.IOException;

/**
 * Readiness notification for one event loop: the one small interface that epoll, kqueue and
 * NIO implement. Internal to pollwire (public only so the per-OS packages can implement it).
 *
 * <p>Contract, shared by every implementation:
 * <ul>
 *   <li>Level-triggered: a socket that stays readable is reported again on the next poll.
 *   <li>Readiness is normalised: error, hang-up and end-of-stream are reported as
 *       {@code READ | WRITE}, so the next read or write sees the real condition.
 *   <li>Only the owning loop thread calls anything but {@link #wakeup()}.
 *   <li>Events carry the {@code int} token given at registration; the poller's own wakeup is
 *       never reported as an event.
 * </ul>
 */
public interface Poller extends AutoCloseable {
    /** Interest/readiness bit: readable (or acceptable, for a listener). */
    int READ = 1;
    /** Interest/readiness bit: writable. */
    int WRITE = 2;

    /**
     * Starts watching a socket.
     *
     * @param target a socket of this poller's transport
     * @param token reported with its events
     * @param interest {@link #READ} and/or {@link #WRITE}, or 0 to watch for errors only (epoll;
     *     kqueue then watches nothing until the interest changes)
     */
    void register(Pollable target, int token, int interest) throws IOException;

    /** Changes the interest set of a registered socket. */
    void modify(Pollable target, int token, int interest) throws IOException;

    /** Stops watching a socket that stays open (closing a socket removes it by itself). */
    void deregister(Pollable target) throws IOException;

    /**
     * Waits for readiness.
     *
     * @param timeoutMillis 0 returns at once, -1 waits until an event or {@link #wakeup()}
     * @return the number of events, read with {@link #token(int)} and {@link #readyOps(int)};
     *     0 after a timeout, an interrupted wait or a wakeup
     */
    int poll(int timeoutMillis) throws IOException;

    /** @return the token of event {@code index} of the last poll */
    int token(int index);

    /** @return the {@code READ|WRITE} readiness of event {@code index} of the last poll */
    int readyOps(int index);

    /**
     * @return the socket error (a positive errno) that the last poll reported with
     *     {@code token}'s event, where the mechanism reports errors itself (kqueue's EV_EOF
     *     {@code fflags}); 0 when it did not. A failed connect reads it when SO_ERROR is gone.
     */
    default int socketError(int token) {
        return 0;
    }

    /** Makes a concurrent or the next {@link #poll(int)} return; callable from any thread. */
    void wakeup();

    /** Releases the poller's own descriptors. Registered sockets are not closed. */
    @Override
    void close();
}
