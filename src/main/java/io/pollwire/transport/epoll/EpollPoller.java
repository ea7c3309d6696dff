// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.epoll;

import static io.pollwire.transport.epoll.Epoll.Const.EPOLLERR;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLHUP;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLIN;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLOUT;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_ADD;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_DEL;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_MOD;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.Pollable;
import io.pollwire.transport.Poller;
import io.pollwire.transport.unix.Errno;
import io.pollwire.transport.unix.FdHandle;
import io.pollwire.transport.unix.NativeIoException;
import io.pollwire.transport.unix.NativeSocket;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@link Poller} over Linux epoll, level-triggered. Level triggering lets a loop read once per
 * event and move on (fairness) without the extra read-until-EAGAIN syscall edge triggering
 * demands; the kernel simply reports the socket again.
 *
 * <p>Line-for-line twin of {@code KqueuePoller}: a {@code diff} of the two shows only what the
 * kernels do differently. Wakeup is an eventfd, drained when it is reported.
 */
public final class EpollPoller implements Poller {
    /** Token of the wakeup eventfd; filtered out of the events handed to the loop. */
    private static final long WAKEUP_DATA = -1L;

    private final int epfd;
    private final int eventFd;
    private final IoBuffer events;
    private final ByteBuffer eventView;
    private final int maxEvents;
    private final int[] tokens;
    private final int[] ops;
    /** Read by {@link #wakeup()} from other threads: never signal a descriptor number we gave back. */
    private volatile boolean closed;

    /**
     * @param maxEvents most events one poll returns
     * @throws NativeIoException when epoll or its wakeup eventfd cannot be created
     */
    public EpollPoller(int maxEvents) throws NativeIoException {
        this.maxEvents = maxEvents;
        this.epfd = NativeSocket.check("epoll_create1", Epoll.epollCreate());
        int efd = Epoll.eventfdCreate();
        if (efd < 0) {
            NativeSocket.close(epfd);
            throw new NativeIoException("eventfd", -efd);
        }
        this.eventFd = efd;
        int r = Epoll.epollCtl(epfd, EPOLL_CTL_ADD, eventFd, EPOLLIN, WAKEUP_DATA);
        if (r < 0) {
            NativeSocket.close(eventFd);
            NativeSocket.close(epfd);
            throw new NativeIoException("epoll_ctl", -r, "eventfd");
        }
        this.events = Epoll.newEventArray(maxEvents);
        this.eventView = events.buffer();
        this.tokens = new int[maxEvents];
        this.ops = new int[maxEvents];
    }

    @Override
    public void register(Pollable target, int token, int interest) throws IOException {
        ctl(EPOLL_CTL_ADD, ((FdHandle) target).fd(), interest, token);
    }

    @Override
    public void modify(Pollable target, int token, int interest) throws IOException {
        ctl(EPOLL_CTL_MOD, ((FdHandle) target).fd(), interest, token);
    }

    @Override
    public void deregister(Pollable target) throws IOException {
        ctl(EPOLL_CTL_DEL, ((FdHandle) target).fd(), 0, 0);
    }

    /** Applies one change: epoll keeps one mask per socket, so one call sets READ and WRITE. */
    private void ctl(int op, int fd, int interest, int token) throws NativeIoException {
        // No EPOLLRDHUP: a FIN already makes the socket readable, and on a connection whose
        // reading is paused a level-triggered RDHUP would wake the loop in a spin.
        int mask = ((interest & READ) != 0 ? EPOLLIN : 0) | ((interest & WRITE) != 0 ? EPOLLOUT : 0);
        int r = Epoll.epollCtl(epfd, op, fd, mask, token & 0xffffffffL);
        if (r < 0) {
            throw new NativeIoException("epoll_ctl", -r);
        }
    }

    @Override
    public int poll(int timeoutMillis) throws IOException {
        int n = Epoll.epollWait(epfd, events.address(), maxEvents, timeoutMillis);
        if (n < 0) {
            if (n == -Errno.EINTR) {
                return 0;
            }
            throw new NativeIoException("epoll_wait", -n);
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            long data = Epoll.getData(eventView, i);
            if (data == WAKEUP_DATA) {
                Epoll.eventfdRead(eventFd); // level-triggered: drain it or it is reported again
                continue;
            }
            tokens[count] = (int) data;
            ops[count] = readiness(Epoll.getEvents(eventView, i));
            count++;
        }
        return count;
    }

    /** Error and hang-up count as both, so that the next read or write sees the condition. */
    private static int readiness(int events) {
        if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
            return READ | WRITE;
        }
        return ((events & EPOLLIN) != 0 ? READ : 0) | ((events & EPOLLOUT) != 0 ? WRITE : 0);
    }

    @Override
    public int token(int index) {
        return tokens[index];
    }

    @Override
    public int readyOps(int index) {
        return ops[index];
    }

    @Override
    public void wakeup() {
        if (!closed) {
            Epoll.eventfdWrite(eventFd);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeSocket.close(eventFd);
            NativeSocket.close(epfd);
        }
    }
}
